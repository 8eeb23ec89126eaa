import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { lockDataDirectory } from './data-directory-lock';

/**
 * The embedded database (PGlite, its Prisma adapter and the data directory's lock), in a module of its
 * own that open-database.ts imports only when DATABASE_URL is unset: an instance on PostgreSQL never
 * loads PGlite's WebAssembly build of PostgreSQL.
 */
export interface EmbeddedDatabase {
  readonly client: PGlite;
  readonly adapter: PrismaPGlite;
  /** Releases the data directory's lock: call it after closing the client. */
  releaseLock(): Promise<void>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const releaseLock = dataDir.startsWith('memory://') ? async () => undefined : await lockDataDirectory(dataDir);
  const client = await PGlite.create(dataDir).catch(async (error: unknown) => {
    await releaseLock();
    throw error;
  });
  return { client, adapter: new PrismaPGlite(client), releaseLock };
}
