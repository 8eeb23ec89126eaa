import type { Config } from '../config/config';
import { loadConfig } from '../config/load-config';
import { applyMigrations } from '../database/migrations';
import { openDatabase } from '../database/open-database';
import { explainStartupFailure } from '../startup/startup-failure';

let config: Config | null = null;

/** `npm run db:migrate`: applies pending migrations and exits, for deployments that migrate before rolling out. */
async function migrate(): Promise<void> {
  config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(database.maintenanceSql);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
}

migrate().catch((error: unknown) => {
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
