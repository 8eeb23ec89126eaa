import { PGlite } from '@electric-sql/pglite';
import { pgliteMaintenanceSql } from '../../src/database/maintenance-sql';
import { MigrationError, applyMigrations, readMigrations } from '../../src/database/migrations';

/** A bare PGlite database, without the service around it. */
async function emptyDatabase() {
  const client = await PGlite.create('memory://');
  return { maintenanceSql: pgliteMaintenanceSql(client), close: () => client.close() };
}

// Every test creates a database from nothing (initdb) and migrates it: 3 to 5 s alone, 11 s beside
// another jest worker on two cores.
const FROM_NOTHING_TEST_TIMEOUT_MILLISECONDS = 60_000;

describe('migrations', () => {
  it('applies every migration once and records each as `prisma migrate deploy` would', async () => {
    const database = await emptyDatabase();
    const migrations = readMigrations();
    expect(await applyMigrations(database.maintenanceSql)).toEqual(migrations.map((migration) => migration.name));
    expect(await applyMigrations(database.maintenanceSql)).toEqual([]);

    const rows = await database.maintenanceSql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows).toEqual(migrations.map((migration) => expect.objectContaining({ migration_name: migration.name, checksum: migration.checksum, applied_steps_count: 1 })));
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
    await database.close();
  }, FROM_NOTHING_TEST_TIMEOUT_MILLISECONDS);

  it('seeds the built-in roles in rank order', async () => {
    const database = await emptyDatabase();
    await applyMigrations(database.maintenanceSql);
    const roles = await database.maintenanceSql.query<{ name: string }>('SELECT name FROM "Role" ORDER BY rank DESC');
    expect(roles.map((role) => role.name)).toEqual(['owner', 'admin', 'member', 'guest']);
    await database.close();
  }, FROM_NOTHING_TEST_TIMEOUT_MILLISECONDS);

  it('refuses a migration recorded as started but never finished, however up to date the rest is', async () => {
    const database = await emptyDatabase();
    const migrations = readMigrations();
    await applyMigrations(database.maintenanceSql, migrations);
    const last = migrations.at(-1)!;
    // What `prisma migrate deploy` leaves after a failure: the row, without finished_at.
    await database.maintenanceSql.query('UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = $1', [last.name]);
    await expect(applyMigrations(database.maintenanceSql, migrations)).rejects.toThrow(MigrationError);
    await database.close();
  }, FROM_NOTHING_TEST_TIMEOUT_MILLISECONDS);

  it('leaves nothing behind when a migration fails', async () => {
    const database = await emptyDatabase();
    const broken = [{ name: '99990101000000_broken', script: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: 'x'.repeat(64) }];
    await expect(applyMigrations(database.maintenanceSql, broken)).rejects.toThrow();
    const tables = await database.maintenanceSql.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'");
    expect(tables).toEqual([]);
    await database.close();
  }, FROM_NOTHING_TEST_TIMEOUT_MILLISECONDS);
});
