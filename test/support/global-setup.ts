import { createPgliteTemplate } from './pglite-template';
import { createRunDirectory } from './temporary-directories';

export default async function globalSetup(): Promise<void> {
  const directory = createRunDirectory();
  // The PostgreSQL suite gives each server a new database on that server instead.
  if (!process.env.DATABASE_URL) await createPgliteTemplate(directory);
}
