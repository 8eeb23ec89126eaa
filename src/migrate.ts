import type { Config } from './config/config';
import { loadConfig } from './config/load-config';
import { openDatabase } from './database';
import { applyMigrations } from './migrations';
import { explainStartupFailure } from './startup-failure';

let config: Config | null = null;

/** `npm run db:migrate`: applies pending migrations and exits, for deployments that migrate before rolling out. */
async function migrate(): Promise<void> {
  config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(database.sql);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
}

migrate().catch((error: unknown) => {
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
