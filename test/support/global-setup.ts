import { createPgliteTemplate } from './pglite-template';
import { ensureRunDirectory } from './temporary-directories';

/** The lanes that start test servers: this run's directory, and the database template in it. */
export default async function globalSetup(): Promise<void> {
  const directory = ensureRunDirectory();
  // The PostgreSQL suite gives each server a new database on that server instead.
  if (!process.env.DATABASE_URL) await createPgliteTemplate(directory);
}
