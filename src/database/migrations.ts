import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MaintenanceSql } from './maintenance-sql';

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, keeping its `_prisma_migrations`
 * bookkeeping so either tool can take over. Gatehouse does it itself because Prisma's migrate engine is
 * a separately downloaded native binary (missing in offline installs) that cannot reach in-process PGlite.
 *
 * Unlike `migrate deploy`, each migration runs in its own transaction, so a failing one leaves nothing behind.
 */

/** The advisory lock key `prisma migrate` takes, so Gatehouse and Prisma never migrate at the same time. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const CREATE_BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
}

interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export function readMigrations(directory = findMigrationsDirectory()): Migration[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const script = readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: createHash('sha256').update(script).digest('hex') };
    });
}

/** The migrations not applied yet, in name order (all of them on a new database), to say what start-up will do. */
export async function listPendingMigrations(sql: MaintenanceSql, migrations = readMigrations()): Promise<string[]> {
  const [bookkeeping] = await sql.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  const applied = bookkeeping?.present
    ? await sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
    : [];
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return migrations.map((migration) => migration.name).filter((name) => !appliedNames.has(name));
}

/**
 * Applies every pending migration in name order; returns the names it applied. Which are pending is read
 * first in one query (or given: what the caller's listPendingMigrations just read), so an up-to-date
 * database (every start but the first) costs no transaction at all; each one found pending is checked
 * again under the migration lock, since another process may be applying it at the same moment.
 */
export async function applyMigrations(sql: MaintenanceSql, migrations = readMigrations(), pendingNames?: readonly string[]): Promise<string[]> {
  const pending = new Set(pendingNames ?? (await listPendingMigrations(sql, migrations)));
  const applied: string[] = [];
  for (const migration of migrations.filter((candidate) => pending.has(candidate.name))) {
    const wasApplied = await sql.transaction(async (transaction) => {
      await transaction.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      await transaction.executeScript(CREATE_BOOKKEEPING_TABLE);
      const previous = await transaction.query<AppliedMigration>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE migration_name = $1',
        [migration.name],
      );
      if (previous.some((row) => row.finished_at !== null && row.rolled_back_at === null)) return false;
      if (previous.some((row) => row.finished_at === null && row.rolled_back_at === null)) {
        throw new MigrationError(
          `Migration ${migration.name} failed earlier and was not resolved; see \`prisma migrate resolve\`.`,
        );
      }
      await transaction.executeScript(migration.script);
      await transaction.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
    if (wasApplied) applied.push(migration.name);
  }
  return applied;
}

/** prisma/migrations, found from both src/ (tests) and dist/src/ (built service). */
export function findMigrationsDirectory(): string {
  for (let directory = __dirname; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) {
      throw new MigrationError('prisma/migrations not found above ' + __dirname);
    }
  }
}
