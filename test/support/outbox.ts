import { linksIn } from '../../src/email/messages';
import { sleep } from './sleep';
import type { TestServer } from './test-server';

/** Reading the development outbox, where the test server's mail goes (src/development-mail). */

/** Every message the outbox holds for `to`, oldest first. */
export const outboxMessagesTo = (server: TestServer, to: string) =>
  server.prisma.outboxMessage.findMany({ where: { to }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

/**
 * The token in the newest link of kind `path` ("verify-email", "reset-password") mailed to `to`.
 * Waits briefly: some mail is sent after the response.
 */
export async function mailedToken(server: TestServer, to: string, path: string): Promise<string> {
  const pattern = new RegExp(`/${path}\\?token=([^\\s"<&]+)`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = await server.prisma.outboxMessage.findMany({ where: { to }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const token = messages.map((message) => pattern.exec(message.text)?.[1]).find(Boolean);
    if (token) return decodeURIComponent(token);
    await sleep(20);
  }
  throw new Error(`no ${path} mail to ${to} in the outbox`);
}

/** The whole newest link of kind `path` mailed to `to`, exactly as the message's text has it (see mailedToken). */
export async function mailedLink(server: TestServer, to: string, path: string): Promise<string> {
  const token = await mailedToken(server, to, path);
  const links = (await outboxMessagesTo(server, to)).flatMap((message) => linksIn(message.text));
  const link = links.find((candidate) => {
    const url = new URL(candidate);
    return url.pathname === `/${path}` && url.searchParams.get('token') === token;
  });
  if (!link) throw new Error(`no ${path} link to ${to} in the outbox`);
  return link;
}

