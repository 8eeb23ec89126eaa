import path from 'node:path';

/**
 * How long a request may wait on PostgreSQL: for a connection (the pool's wait for a free one
 * included), and for one statement. Past either it answers SERVICE_UNAVAILABLE instead of hanging.
 */
export const DATABASE_TIMEOUT_DEFAULTS = { connectTimeoutSeconds: 5, statementTimeoutSeconds: 10 } as const;

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      /** Waiting for a connection, new or pooled; see DATABASE_TIMEOUT_DEFAULTS. */
      readonly connectTimeoutSeconds: number;
      /** One statement (migrations excepted): PostgreSQL's statement_timeout, and a client-side limit for a silent server. */
      readonly statementTimeoutSeconds: number;
    };

/** The parsed variables this reads (a slice of the environment, declared here so the schema can use DATABASE_TIMEOUT_DEFAULTS). */
interface DatabaseVariables {
  readonly DATABASE_URL?: string | undefined;
  readonly DATABASE_POOL_SIZE: number;
  readonly DATABASE_CONNECT_TIMEOUT_SECONDS: number;
  readonly DATABASE_STATEMENT_TIMEOUT_SECONDS: number;
}

/** PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite database under DATA_DIR. */
export function databaseConfig(values: DatabaseVariables, dataDir: string): DatabaseConfig {
  if (!values.DATABASE_URL) return { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  return {
    kind: 'postgres',
    url: values.DATABASE_URL,
    poolSize: values.DATABASE_POOL_SIZE,
    connectTimeoutSeconds: values.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementTimeoutSeconds: values.DATABASE_STATEMENT_TIMEOUT_SECONDS,
  };
}
