import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DATABASE_TIMEOUT_DEFAULTS } from '../../src/config/database-config';
import type { DatabaseConfig } from '../../src/config/database-config';
import { newPgliteDataDirectory } from './pglite-template';

export interface TestDatabase {
  readonly config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * A database of its own for a test server, holding nothing but the migrations' rows, and outliving
 * the servers started on it (tests that restart the service pass it to each): a copy of the run's
 * migrated PGlite template by default, or, when DATABASE_URL is set (the PostgreSQL suite), a new
 * database on that server. The test server that created it, or the test that did, drops it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = newPgliteDataDirectory();
    return { config: { kind: 'pglite', dataDir }, drop: async () => rmSync(path.dirname(dataDir), { recursive: true, force: true }) };
  }

  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 10, ...DATABASE_TIMEOUT_DEFAULTS },
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
