import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteMaintenanceSql } from '../../src/database/maintenance-sql';
import { applyMigrations } from '../../src/database/migrations';
import { runDirectory, temporaryDirectory } from './temporary-directories';

const templateIn = (directory: string) => path.join(directory, 'pglite-template');

/**
 * Creating a PGlite database runs initdb and then every migration: about 3 s of CPU, most of what
 * starting a test server cost. The global setup does it once per run; each test database is a copy
 * of the directory. Starting from nothing is still covered: test/database/migrations.test.ts, the cold
 * start in test/deploy/main.test.ts, and the PostgreSQL suite, where each server gets a new empty database.
 */
export async function createPgliteTemplate(directory: string): Promise<void> {
  // PGlite and the migrations alone: jest's global setup resolves modules without the test config's
  // moduleNameMapper, so it cannot load the generated Prisma client that openDatabase brings in.
  const client = await PGlite.create(templateIn(directory));
  try {
    await applyMigrations(pgliteMaintenanceSql(client));
  } finally {
    await client.close();
  }
}

/**
 * A new PGlite data directory, in a directory of its own (which also takes its lock file): a copy of
 * the migrated template, or empty (migrated on first open) when this run has none (the PostgreSQL
 * suite's global setup makes none).
 */
export function newPgliteDataDirectory(): string {
  const dataDir = path.join(temporaryDirectory('db'), 'pglite');
  const directory = runDirectory();
  if (directory && existsSync(templateIn(directory))) cpSync(templateIn(directory), dataDir, { recursive: true });
  return dataDir;
}
