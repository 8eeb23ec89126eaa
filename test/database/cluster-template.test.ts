import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { copyClusterTemplate, createClusterTemplate } from '../../src/database/cluster-template';
import { pgliteMaintenanceSql } from '../../src/database/maintenance-sql';
import { applyMigrations, readMigrations } from '../../src/database/migrations';
import { temporaryDirectory } from '../support/temporary-directories';

// Making the template runs PGlite's initdb: 3 to 5 s alone, more beside another jest worker on two cores.
const INITDB_TIMEOUT_MILLISECONDS = 60_000;

let template: string;

beforeAll(async () => {
  template = path.join(temporaryDirectory('cluster-template'), 'template');
  await createClusterTemplate(template);
}, INITDB_TIMEOUT_MILLISECONDS);

const newDataDir = () => path.join(temporaryDirectory('cluster-copy'), 'pglite');

/** PostgreSQL's id for a cluster, made by initdb: copies of one cluster share it, a new initdb makes another. */
async function systemIdentifier(client: PGlite): Promise<string> {
  const [row] = (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows;
  return row!.id;
}

describe('the embedded database cluster template', () => {
  it('gives a new data directory a cluster that PGlite opens as its own and the migrations apply to', async () => {
    const dataDir = newDataDir();
    const otherDataDir = newDataDir();
    expect(await copyClusterTemplate(dataDir, template)).toBe(true);
    expect(await copyClusterTemplate(otherDataDir, template)).toBe(true);

    const copy = await PGlite.create(dataDir);
    // Another copy, not the template itself: opening the template would change it under the other tests.
    const other = await PGlite.create(otherDataDir);
    try {
      expect(await systemIdentifier(copy)).toBe(await systemIdentifier(other));
      expect(await applyMigrations(pgliteMaintenanceSql(copy))).toEqual(readMigrations().map((migration) => migration.name));
    } finally {
      await copy.close();
      await other.close();
    }
  }, INITDB_TIMEOUT_MILLISECONDS);

  it('can be read by any user: the Dockerfile builds it as root and runs the service as node', () => {
    const unreadable: string[] = [];
    const walk = (directory: string): void => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const file = path.join(directory, entry.name);
        const needed = entry.isDirectory() ? 0o005 : 0o004;
        if ((statSync(file).mode & needed) !== needed) unreadable.push(path.relative(template, file));
        if (entry.isDirectory()) walk(file);
      }
    };
    walk(template);
    expect(unreadable).toEqual([]);
  });

  it('leaves a data directory that already holds a cluster as it is', async () => {
    const dataDir = newDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'PG_VERSION'), 'not the template\n');
    expect(await copyClusterTemplate(dataDir, template)).toBe(false);
    expect(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8')).toBe('not the template\n');
    expect(existsSync(path.join(dataDir, 'base'))).toBe(false);
  });

  it('is not used when another PGlite version made it, and PGlite then makes its own cluster', async () => {
    const stale = path.join(temporaryDirectory('cluster-template'), 'template');
    cpSync(template, stale, { recursive: true });
    writeFileSync(path.join(stale, 'pglite-version'), '0.0.1');
    const dataDir = newDataDir();
    expect(await copyClusterTemplate(dataDir, stale)).toBe(false);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(false);

    const copyDataDir = newDataDir();
    await copyClusterTemplate(copyDataDir, template);
    const own = await PGlite.create(dataDir);
    const copy = await PGlite.create(copyDataDir);
    try {
      expect(await systemIdentifier(own)).not.toBe(await systemIdentifier(copy));
    } finally {
      await own.close();
      await copy.close();
    }
  }, INITDB_TIMEOUT_MILLISECONDS);

  it('is not used when there is none (the service run from src/, or built without it)', async () => {
    expect(await copyClusterTemplate(newDataDir(), path.join(temporaryDirectory('cluster-template'), 'none'))).toBe(false);
  });
});
