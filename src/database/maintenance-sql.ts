import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

/** Plain SQL on the same database, for what Prisma's client does not do: migrations and readiness. */
export interface MaintenanceSql {
  /** Runs a script of one or more statements, without parameters. */
  executeScript(sql: string): Promise<void>;
  query<Row>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  /** Runs work on one connection inside BEGIN … COMMIT (ROLLBACK when it throws). */
  transaction<T>(work: (connection: MaintenanceSql) => Promise<T>): Promise<T>;
}

export type PgliteQueryable = Pick<PGlite, 'exec' | 'query'>;

export function pgliteMaintenanceSql(client: PgliteQueryable & Partial<Pick<PGlite, 'transaction'>>): MaintenanceSql {
  return {
    executeScript: async (script) => {
      await client.exec(script);
    },
    query: async <Row>(text: string, parameters: readonly unknown[] = []) =>
      (await client.query<Row>(text, [...parameters])).rows,
    transaction: async (work) => {
      if (!client.transaction) throw new Error('Nested transactions are not supported');
      return client.transaction((transaction) => work(pgliteMaintenanceSql(transaction)));
    },
  };
}

export function postgresMaintenanceSql(pool: Pool): MaintenanceSql {
  return {
    executeScript: async (script) => {
      await pool.query(script);
    },
    query: async <Row>(text: string, parameters: readonly unknown[] = []) =>
      (await pool.query(text, [...parameters])).rows as Row[],
    transaction: async (work) => {
      const client = await pool.connect();
      const connection: MaintenanceSql = {
        executeScript: async (script) => {
          await client.query(script);
        },
        query: async <Row>(text: string, parameters: readonly unknown[] = []) =>
          (await client.query(text, [...parameters])).rows as Row[],
        transaction: () => Promise.reject(new Error('Nested transactions are not supported')),
      };
      try {
        await client.query('BEGIN');
        const result = await work(connection);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
