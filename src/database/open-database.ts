import type { DatabaseConfig } from '../config/database-config';
import { PrismaClient } from '../generated/prisma/client';
import type { DatabaseOptions } from './database-query';
import type { StartingEmbeddedDatabase } from './embedded-database';
import { pgliteHotPathSql, postgresHotPathSql } from './hot-path-sql';
import type { HotPathSql } from './hot-path-sql';
import { pgliteMaintenanceSql, postgresMaintenanceSql } from './maintenance-sql';
import type { MaintenanceSql } from './maintenance-sql';
import { listenOnPostgres } from './notification-listener';
import type { NotificationHandlers, NotificationListener } from './notification-listener';

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly prisma: PrismaClient;
  /** Plain SQL for migrations and the readiness probe, on connections of its own (see database/maintenance-sql.ts). */
  readonly maintenanceSql: MaintenanceSql;
  /** Plain SQL on the requests' connections, for the hot paths only (see database/hot-path-sql.ts). */
  readonly hotPathSql: HotPathSql;
  /** Round-trips to the database; throws when it is unreachable. */
  ping(): Promise<void>;
  /** LISTENs on `channel`: on a dedicated connection (PostgreSQL), or in process (PGlite delivers its own NOTIFYs). */
  listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener>;
  close(): Promise<void>;
}

/** `starting`: the embedded database of config.dataDir, when the caller already began its start (main.ts). */
export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions = {}, starting?: StartingEmbeddedDatabase): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir, options, starting) : openPostgres(config, options);
}

function createPrismaClient(adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>, { onQuery }: DatabaseOptions): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery({ sql: event.query, durationMs: event.duration }));
  return prisma;
}

async function openPglite(dataDir: string, options: DatabaseOptions, starting: StartingEmbeddedDatabase | undefined): Promise<Database> {
  // Imported here, not above: PGlite and its adapter add about 3 MiB to every instance that never uses them.
  const { client, adapter, releaseLock } = await (starting?.started ?? (await import('./embedded-database')).startEmbeddedDatabase(dataDir));
  const prisma = createPrismaClient(adapter, options);
  const maintenanceSql = pgliteMaintenanceSql(client);
  return {
    kind: 'pglite',
    prisma,
    maintenanceSql,
    hotPathSql: pgliteHotPathSql(client, options.onQuery),
    ping: async () => {
      await client.query('SELECT 1');
    },
    listen: async (channel, { onPayload }) => {
      const unlisten = await client.listen(channel, onPayload);
      return { close: () => unlisten().catch(() => undefined) };
    },
    close: async () => {
      await prisma.$disconnect();
      await client.close();
      await releaseLock();
    },
  };
}

/** How much longer the client waits than the server's statement_timeout: the server's answer is the clearer error. */
const CLIENT_QUERY_TIMEOUT_MARGIN_MILLISECONDS = 1_000;

async function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>, options: DatabaseOptions): Promise<Database> {
  // Loaded here, not at the top: the embedded database never needs them (requiring pg alone takes about 50 ms).
  const [{ Pool, types }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  const connectionTimeoutMillis = config.connectTimeoutSeconds * 1000;
  const statementTimeoutMilliseconds = config.statementTimeoutSeconds * 1000;
  // Requests' pool: every wait bounded, so an unreachable or hung database answers SERVICE_UNAVAILABLE
  // in bounded time (see database-unavailable.ts) instead of queueing requests until clients give up.
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolSize,
    // Also bounds the wait for a free pooled connection, so a saturated pool sheds load the same way.
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
    // Server side: a statement running too long is cancelled (57014) and its connection stays usable.
    statement_timeout: statementTimeoutMilliseconds,
    // Client side: a server that stopped answering at all (hung, or a network that drops packets).
    query_timeout: statementTimeoutMilliseconds + CLIENT_QUERY_TIMEOUT_MARGIN_MILLISECONDS,
  });
  // Migrations and readiness: migrations legitimately wait for the migration lock (another replica
  // migrating) and may run long, so no statement limits here; readiness bounds its own probe.
  const adminPool = new Pool({ connectionString: config.url, max: 2, connectionTimeoutMillis, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection (the server restarting) must not crash the process; the pool
  // drops it and connects afresh on next use, which is how the service recovers without a restart.
  pool.on('error', () => undefined);
  adminPool.on('error', () => undefined);
  const prisma = createPrismaClient(new PrismaPg(pool), options);
  const maintenanceSql = postgresMaintenanceSql(adminPool);
  return {
    kind: 'postgres',
    prisma,
    maintenanceSql,
    hotPathSql: postgresHotPathSql(pool, types, options.onQuery),
    ping: async () => {
      // Bounded on the client too: a probe stuck on a silent server would otherwise hold a connection.
      // (pg reads query_timeout per query; @types/pg does not declare it, hence the variable.)
      const probe = { text: 'SELECT 1', query_timeout: connectionTimeoutMillis };
      await adminPool.query(probe);
    },
    listen: (channel, handlers) => listenOnPostgres(config.url, channel, handlers),
    close: async () => {
      await prisma.$disconnect();
      await Promise.all([pool.end(), adminPool.end()]);
    },
  };
}
