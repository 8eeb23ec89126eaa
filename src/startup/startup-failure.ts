import type { Config } from '../config/config';
import { ConfigError } from '../config/config-error';
import type { DatabaseConfig } from '../config/database-config';
import { DatabaseInUseError } from '../database/database-in-use-error';
import { findDatabaseFailure } from '../database/database-unavailable';
import { ListenAddressError } from './listen-address';

/**
 * Why the service could not start, in one line naming the cause and the variable to change, for the
 * failures that are the operator's to fix: the configuration, a port that cannot be listened on, an
 * embedded database another process holds, a PostgreSQL that cannot be reached or refuses us. null for
 * anything else: that is a bug, and its stack trace is what helps.
 */
export function explainStartupFailure(error: unknown, config: Config | null): string | null {
  if (error instanceof ConfigError || error instanceof ListenAddressError || error instanceof DatabaseInUseError) return error.message;
  if (config?.database.kind !== 'postgres') return null;
  const cause = connectionFailureCause(error, config.database);
  return cause === null ? null : `Cannot use the database in DATABASE_URL (${redactDatabaseUrl(config.database.url)}): ${cause}`;
}

type PostgresConfig = Extract<DatabaseConfig, { kind: 'postgres' }>;

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly severity?: unknown;
}

/** SQLSTATE 3D000 invalid_catalog_name: the database named in the URL does not exist. */
const UNKNOWN_DATABASE = '3D000';
/** SQLSTATE class 28, invalid authorization: an unknown role, a wrong password, no pg_hba.conf entry. */
const AUTHORIZATION_CLASS = '28';
const AUTHORIZATION_HINTS: Readonly<Record<string, string>> = {
  '28P01': ': check the password in the URL.',
  '28000': ': check the user in the URL (an unknown role), or pg_hba.conf on the server (no entry for this host or user).',
};
const CONNECT_TIMEOUT_MESSAGES = new Set(['Connection terminated due to connection timeout', 'timeout exceeded when trying to connect']);

function connectionFailureCause(error: unknown, database: PostgresConfig): string | null {
  const { code, message, severity } = error as DriverError;
  const text = typeof message === 'string' ? message : '';
  const { host, port, user, name } = partsOf(database.url);
  if (code === 'ECONNREFUSED') return `connection refused by ${host}:${port}: is PostgreSQL running, and listening there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${host} was not found.`;
  if (CONNECT_TIMEOUT_MESSAGES.has(text) || code === 'ETIMEDOUT') {
    return `no answer from ${host}:${port} within DATABASE_CONNECT_TIMEOUT_SECONDS (${database.connectTimeoutSeconds} s).`;
  }
  // The server's own words, which name the role or database and never the password.
  if (typeof severity === 'string' && code === UNKNOWN_DATABASE) return `${text}: create it (createdb -h ${host} -p ${port} -U ${user} ${name}), or name another.`;
  if (typeof severity === 'string' && typeof code === 'string' && code.startsWith(AUTHORIZATION_CLASS)) return `${text}${AUTHORIZATION_HINTS[code] ?? '.'}`;
  if (/\bSSL\b/.test(text)) return `${text} (see sslmode in the URL).`;
  // What is left of a connection failure: the server closing the connection, shutting down, full.
  return findDatabaseFailure(error) === null ? null : `${text || String(code)}.`;
}

function partsOf(url: string): { host: string; port: string; user: string; name: string } {
  try {
    const parsed = new URL(url);
    const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    const user = decodeURIComponent(parsed.username);
    return { host: parsed.hostname || 'localhost', port: parsed.port || '5432', user: user || 'postgres', name: name || user || 'postgres' };
  } catch {
    return { host: 'the host', port: 'its port', user: 'the user', name: 'the database' };
  }
}

/** The URL with its password (user:password@, or a password= parameter) replaced, fit for a log line. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'unparsable: not shown';
  }
}
