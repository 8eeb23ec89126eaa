import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DATABASE_TIMEOUT_DEFAULTS } from '../../src/config';
import type { DatabaseConfig } from '../../src/config';

export interface TestDatabase {
  readonly config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * An empty database of its own for each test server: in-memory PGlite by default, or, when
 * DATABASE_URL is set (the PostgreSQL suite), a fresh database on that server, dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { config: { kind: 'pglite', dataDir: 'memory://' }, drop: async () => undefined };

  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 10, ...DATABASE_TIMEOUT_DEFAULTS },
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A database that outlives the servers started on it, for tests that restart the service: PGlite in
 * a temporary directory (in-memory PGlite dies with its server), or a fresh PostgreSQL database.
 */
export async function createPersistentTestDatabase(): Promise<TestDatabase> {
  if (process.env.DATABASE_URL) return createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-test-db-'));
  return { config: { kind: 'pglite', dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
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
