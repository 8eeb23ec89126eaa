import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { types as pgTypes } from 'pg';
import type { DatabaseOptions } from './database';

type QueryObserver = DatabaseOptions['onQuery'];

/**
 * Plain SQL on the requests' own connections: the pool Prisma's adapter uses, with the same timeouts
 * and the same outage handling (database-unavailable.ts reads node-postgres errors too). Only for the
 * statement every authenticated request runs, the bearer check, where Prisma's client-side query
 * engine (compiling the query, interpreting its plan, mapping the rows) cost more CPU than the
 * statement itself (README "Performance"). Everything else goes through Prisma.
 */
export interface DirectSql {
  query<Row>(text: string, parameters: readonly unknown[]): Promise<Row[]>;
}

const TIMESTAMP_OID = 1114;

/**
 * Prisma's DateTime columns are `timestamp(3)` without time zone, holding UTC; both drivers would read
 * them as the process's local time. Values look like `2026-11-22 18:01:48.123`.
 */
const parseUtcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);

const postgresTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? parseUtcTimestamp : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

export function postgresDirectSql(pool: Pool, observe?: QueryObserver): DirectSql {
  return {
    query: async <Row>(text: string, parameters: readonly unknown[]) => {
      const started = performance.now();
      const { rows } = await pool.query({ text, values: [...parameters], types: postgresTypes });
      observe?.({ sql: text, durationMs: performance.now() - started });
      return rows as Row[];
    },
  };
}

const pgliteParsers = { [TIMESTAMP_OID]: parseUtcTimestamp };

export function pgliteDirectSql(client: Pick<PGlite, 'query'>, observe?: QueryObserver): DirectSql {
  return {
    query: async <Row>(text: string, parameters: readonly unknown[]) => {
      const started = performance.now();
      const { rows } = await client.query<Row>(text, [...parameters], { parsers: pgliteParsers });
      observe?.({ sql: text, durationMs: performance.now() - started });
      return rows;
    },
  };
}
