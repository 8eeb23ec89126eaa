import type { PGlite } from '@electric-sql/pglite';
import type { Pool, types as PostgresTypes } from 'pg';
import type { Prisma } from '../generated/prisma/client';
import type { DatabaseOptions } from './database-query';
import { asDatabaseUnavailable } from './database-unavailable';

type QueryObserver = DatabaseOptions['onQuery'];

/**
 * Plain SQL on the requests' own connections: the pool Prisma's adapter uses, with its timeouts and
 * the same outage handling (database-unavailable.ts reads node-postgres errors too). Only for the hot
 * paths: the bearer check on every authenticated request, a login's read and its session's opening, and
 * refresh rotation. There Prisma's client-side query engine (compiling each query, interpreting its plan,
 * mapping the rows) cost more CPU than the statements themselves, and a login's nine round trips fit in
 * two statements, a rotation's in one (docs/performance.md, "Plain SQL on the hot paths"). Everything else
 * goes through Prisma.
 *
 * Services never hold this handle. Each statement lives in a `*.sql.ts` module beside its feature, with
 * named parameters (statement-parameters.ts), and services reach it through their aggregate's store:
 * sessions/session.store.ts, sessions/refresh-token.store.ts, auth/login-read.store.ts.
 *
 * Dates travel as Prisma's DateTime columns hold them: `timestamp(3)` without a zone, in UTC. A Date
 * parameter is sent as UTC wall-clock text (cast its placeholder `::timestamp(3)`); such a column reads back
 * as the Date it holds.
 */
export interface HotPathSql {
  query<Row>(text: string, parameters: readonly unknown[]): Promise<Row[]>;
}

const TIMESTAMP_OID = 1114;

// Both drivers would read `2026-11-22 18:01:48.123` as the process's local time, and send a Date in it.
const parseUtcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);
const toUtcWallClock = (parameter: unknown): unknown => (parameter instanceof Date ? parameter.toISOString().slice(0, -1) : parameter);

/** node-postgres's own parsers (`pg.types`, passed in so the embedded database never loads the driver), but for timestamps. */
export function postgresHotPathSql(pool: Pool, defaultTypes: typeof PostgresTypes, observe?: QueryObserver): HotPathSql {
  const postgresTypes = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === TIMESTAMP_OID ? parseUtcTimestamp : defaultTypes.getTypeParser(oid, format)) as typeof PostgresTypes.getTypeParser,
  };
  const names = new Map<string, string>();
  // Named, so each connection parses and plans a statement once, not on every request.
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `gatehouse_${names.size + 1}`));
    return name;
  };
  return observed(async (text, values) => (await pool.query({ name: nameOf(text), text, values, types: postgresTypes })).rows, observe);
}

const pgliteParsers = { [TIMESTAMP_OID]: parseUtcTimestamp };

export function pgliteHotPathSql(client: Pick<PGlite, 'query'>, observe?: QueryObserver): HotPathSql {
  return observed(async (text, values) => (await client.query(text, values, { parsers: pgliteParsers })).rows, observe);
}

/**
 * The same statements inside a caller's Prisma transaction, so they commit or roll back with it. Prisma
 * reads `timestamp(3)` as UTC and wraps driver errors itself (its outage handling applies as usual).
 */
export function transactionSql(transaction: Prisma.TransactionClient): HotPathSql {
  return {
    query: <Row>(text: string, parameters: readonly unknown[]) => transaction.$queryRawUnsafe<Row[]>(text, ...parameters.map(toUtcWallClock)),
  };
}

/** Either driver's query with what both share: Date parameters, outage errors, the trace log. */
function observed(run: (text: string, values: unknown[]) => Promise<unknown[]>, observe: QueryObserver): HotPathSql {
  return {
    query: async <Row>(text: string, parameters: readonly unknown[]) => {
      const started = performance.now();
      const rows = await run(text, parameters.map(toUtcWallClock)).catch(rethrowAsOutage);
      observe?.({ sql: text, durationMs: performance.now() - started });
      return rows as Row[];
    },
  };
}

/**
 * An outage becomes SERVICE_UNAVAILABLE where it happens. Prisma wraps driver errors in its own; these
 * arrive raw (socket errors are not even guaranteed to be `instanceof Error` in every realm, which
 * graphql-js would report as a bare "Unexpected error value").
 */
function rethrowAsOutage(error: unknown): never {
  throw asDatabaseUnavailable(error);
}
