import { loadConfig, ConfigError } from './config';
import { openDatabase } from './database';
import { applyMigrations } from './migrations';

/** `npm run db:migrate`: applies pending migrations and exits, for deployments that migrate before rolling out. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(database.sql);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
}

migrate().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
