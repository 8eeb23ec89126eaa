import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isDataDirectoryInUse } from '../../src/database/data-directory-lock';
import { formatOutboxListing, listOutbox, OutboxUnavailableError } from '../../src/development-mail/outbox-command';
import { signUp } from '../support/factories';
import { mailedLink } from '../support/outbox';
import { newPgliteDataDirectory } from '../support/pglite-template';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** The embedded database whatever the suite runs on: the issue is about that one, held by its server. */
function embeddedDatabase(): TestDatabase {
  const dataDir = newPgliteDataDirectory();
  return { config: { kind: 'pglite', dataDir }, drop: async () => rmSync(path.dirname(dataDir), { recursive: true, force: true }) };
}

/** What `npm run outbox` would be configured with to reach `server` (it listens on 127.0.0.1). */
const commandConfig = (server: TestServer) => ({ host: '127.0.0.1', port: Number(new URL(server.url).port), database: server.config.database });

describe('npm run outbox', () => {
  it('lists mail, links included, from a running development server that holds the embedded database', async () => {
    const database = embeddedDatabase();
    const server = await startTestServer({ NODE_ENV: 'development' }, { database });
    try {
      const user = await signUp(server, { unverified: true });
      const link = await mailedLink(server, user.email, 'verify-email');
      expect(await isDataDirectoryInUse((server.config.database as { dataDir: string }).dataDir)).toBe(true);

      const listing = await listOutbox(commandConfig(server), 5);

      expect(listing.source).toBe(`the server at ${server.url}`);
      expect(listing.entries[0]).toMatchObject({ to: user.email, subject: 'Confirm your email address', links: [link] });
      const printed = formatOutboxListing(listing);
      expect(printed).toContain(`to ${user.email}\n  Confirm your email address\n  ${link}\n`);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  it('reads the database itself when no server answers', async () => {
    const database = await createTestDatabase();
    try {
      const server = await startTestServer({}, { database });
      const user = await signUp(server, { unverified: true });
      const link = await mailedLink(server, user.email, 'verify-email');
      const config = commandConfig(server);
      await server.close();

      const listing = await listOutbox(config, 5);

      expect(listing.source).toContain('did not answer');
      expect(listing.entries.map((entry) => entry.links)).toEqual([[link]]);
    } finally {
      await database.drop();
    }
  });

  it('says what to do when a server holds the embedded database but lists no outbox', async () => {
    const database = embeddedDatabase();
    const server = await startTestServer({ NODE_ENV: 'test' }, { database });
    try {
      const listing = listOutbox(commandConfig(server), 5);

      await expect(listing).rejects.toThrow(OutboxUnavailableError);
      await expect(listing).rejects.toThrow(/in use by a running Gatehouse, and http:\/\/127\.0\.0\.1:\d+ answered 404 .*NODE_ENV/);
    } finally {
      await server.close();
      await database.drop();
    }
  });

  it('finds no mail, and creates nothing, where no embedded database exists yet', async () => {
    const dataDir = path.join(path.dirname(newPgliteDataDirectory()), 'never-started');

    const listing = await listOutbox({ host: '127.0.0.1', port: 9, database: { kind: 'pglite', dataDir } }, 5);

    expect(listing).toEqual({ source: `no embedded database in ${dataDir} yet`, entries: [] });
    expect(formatOutboxListing(listing)).toBe(`No mail, from no embedded database in ${dataDir} yet.\n`);
    expect(existsSync(dataDir)).toBe(false);
  });
});
