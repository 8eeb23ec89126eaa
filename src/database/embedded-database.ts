import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { copyClusterTemplate } from './cluster-template';
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

/** A start under way, the lock already held (beginEmbeddedDatabase). */
export interface StartingEmbeddedDatabase {
  readonly started: Promise<EmbeddedDatabase>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  return (await beginEmbeddedDatabase(dataDir)).started;
}

/**
 * Takes the data directory's lock, then starts the database without waiting for it: on a first start
 * the template's files are already being copied when this resolves (cluster-template.ts), so the caller
 * can do other work meanwhile (main.ts loads the app's modules) and await `started` when it needs it.
 */
export async function beginEmbeddedDatabase(dataDir: string): Promise<StartingEmbeddedDatabase> {
  const releaseLock = dataDir.startsWith('memory://') ? async () => undefined : await lockDataDirectory(dataDir);
  const started = createClient(dataDir).then(
    (client) => ({ client, adapter: new PrismaPGlite(client), releaseLock }),
    async (error: unknown) => {
      await releaseLock();
      throw error;
    },
  );
  // A failure may come while the caller is busy elsewhere: it is handled where `started` is awaited, not
  // reported as an unhandled rejection (which would end the process without its explanation) before then.
  started.catch(() => undefined);
  return { started };
}

/** A directory without a cluster yet gets the build's (cluster-template.ts); PGlite makes one only when there is none to copy. */
async function createClient(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) await copyClusterTemplate(dataDir);
  return PGlite.create(dataDir);
}
