import { existsSync } from 'node:fs';
import type { Config } from '../config/config';
import { isDataDirectoryInUse } from '../database/data-directory-lock';
import { openDatabase } from '../database/open-database';
import { readRecentOutboxMessages } from '../email/outbox-messages';
import type { OutboxEntry } from '../email/outbox-messages';
import { OUTBOX_PATH } from './outbox-endpoint';

/** What `npm run outbox` found, and where. */
export interface OutboxListing {
  /** In words: "the server at …", "the database …". */
  readonly source: string;
  readonly entries: readonly OutboxEntry[];
}

/** The listing could not be read: the message says why and what to do. */
export class OutboxUnavailableError extends Error {
  override readonly name = 'OutboxUnavailableError';
}

/** Long enough for a busy development server; a port nobody listens on refuses at once anyway. */
const SERVER_TIMEOUT_MILLISECONDS = 5_000;

type ServerAnswer = { readonly kind: 'listed'; readonly entries: OutboxEntry[] } | { readonly kind: 'none'; readonly why: string };

/**
 * The newest `limit` messages of the outbox. The running server is asked first (GET /dev/outbox): the
 * embedded database belongs to the one process that opened it. When no server answers with a
 * listing, the database is read directly: PostgreSQL always, the embedded one unless a live process
 * holds it.
 */
export async function listOutbox(config: Pick<Config, 'host' | 'port' | 'database'>, limit: number): Promise<OutboxListing> {
  const serverUrl = `http://${loopbackHost(config.host)}:${config.port}`;
  const answer = await askServer(`${serverUrl}${OUTBOX_PATH}?limit=${limit}`);
  if (answer.kind === 'listed') return { source: `the server at ${serverUrl}`, entries: answer.entries };
  return readDatabase(config.database, limit, `${serverUrl} ${answer.why}`);
}

/** Where to reach a server listening on `host` from this machine. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function askServer(url: string): Promise<ServerAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(SERVER_TIMEOUT_MILLISECONDS) });
  } catch {
    return { kind: 'none', why: 'did not answer' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    const reason = response.status === 404 ? ' (its development outbox is off: NODE_ENV is not development, or SMTP_URL is set)' : '';
    return { kind: 'none', why: `answered ${response.status}${reason}` };
  }
  const body = (await response.json().catch(() => null)) as { messages?: (Omit<OutboxEntry, 'createdAt'> & { createdAt: string })[] } | null;
  if (!Array.isArray(body?.messages)) return { kind: 'none', why: 'answered, but not with an outbox listing' };
  return { kind: 'listed', entries: body.messages.map((message) => ({ ...message, createdAt: new Date(message.createdAt) })) };
}

async function readDatabase(database: Config['database'], limit: number, serverOutcome: string): Promise<OutboxListing> {
  if (database.kind === 'pglite') {
    if (!existsSync(database.dataDir)) return { source: `no embedded database in ${database.dataDir} yet`, entries: [] };
    if (await isDataDirectoryInUse(database.dataDir)) {
      throw new OutboxUnavailableError(
        `The embedded database in ${database.dataDir} is in use by a running Gatehouse, and ${serverOutcome}. ` +
          'Run this with the HOST and PORT that server listens on, and start it with NODE_ENV=development (the default) and no SMTP_URL.',
      );
    }
  }
  const opened = await openDatabase(database);
  try {
    const where = database.kind === 'pglite' ? `the embedded database in ${database.dataDir}` : 'the PostgreSQL database';
    return { source: `${where} (${serverOutcome})`, entries: await readRecentOutboxMessages(opened.prisma, limit) };
  } finally {
    await opened.close();
  }
}

/** For the terminal: one block per message, newest first, each link on a line of its own. */
export function formatOutboxListing(listing: OutboxListing): string {
  const count = listing.entries.length;
  const heading = `${count === 0 ? 'No mail' : `${count} ${count === 1 ? 'message' : 'messages, newest first'}`}, from ${listing.source}.\n`;
  const blocks = listing.entries.map(
    (entry) => `\n${entry.createdAt.toISOString()}  to ${entry.to}\n  ${entry.subject}\n${entry.links.map((link) => `  ${link}\n`).join('')}`,
  );
  return heading + blocks.join('');
}
