import { AppError, ErrorCode, ErrorReason } from '../errors';

/**
 * Telling "the database cannot serve right now" apart from every other failure. Only failures of the
 * connection or of the server's availability count: a constraint violation or a bug stays what it is
 * (masked as INTERNAL_SERVER_ERROR and logged in full), never dressed up as a transient outage.
 */

/** What a client is told to wait before retrying: an outage worth a 503 is rarely shorter. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting or stopping),
 * 57014 query_canceled (the statement timeout we set, or an operator cancelling), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
const CONNECTION_EXCEPTION_CLASS = '08';

/** Socket errors on the way to the database (DNS included: a name that stops resolving is an outage too). */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The driver adapters' error kinds (Prisma's DriverAdapterError.cause.kind) that mean the same. */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * Prisma's own codes for the same: P1001 unreachable, P1002 reached but timed out, P1008 operation timed
 * out, P1017 connection closed, P2024 no pool connection in time, P2037 too many connections.
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** Prisma's interactive transaction found no connection within maxWait (P2028 covers other misuse too). */
const TRANSACTION_START_TIMEOUT = 'Transaction API error: Unable to start a transaction in the given time.';

/**
 * node-postgres raises these without any code, so their fixed messages are all there is to go on: a
 * lost socket, a pool with no connection to give within connectionTimeoutMillis, a query_timeout.
 */
const UNAVAILABLE_PG_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Query read timeout',
]);

/** A loggable summary: codes and kinds only, never a message that could quote a query or its values. */
export interface DatabaseFailure {
  readonly kind: string;
  readonly code?: string;
}

interface ErrorFields {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly severity?: unknown;
  readonly meta?: { readonly driverAdapterError?: { readonly cause?: AdapterCause } };
  readonly cause?: unknown;
  /** GraphQLError's wrapped error. */
  readonly originalError?: unknown;
}

interface AdapterCause {
  readonly kind?: unknown;
  readonly code?: unknown;
  readonly originalCode?: unknown;
}

/** The failure when `error` (or what it wraps) means the database is unavailable; null for anything else. */
export function findDatabaseFailure(error: unknown, depth = 0): DatabaseFailure | null {
  if (typeof error !== 'object' || error === null || depth > 3) return null;
  if (error instanceof DatabaseUnavailableError) return error.failure;
  const fields = error as ErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : undefined;

  const adapterCause = fields.meta?.driverAdapterError?.cause ?? (fields.name === 'DriverAdapterError' ? (fields.cause as AdapterCause) : undefined);
  if (adapterCause) {
    const kind = String(adapterCause.kind);
    const sqlState = [adapterCause.originalCode, adapterCause.code].find((value): value is string => typeof value === 'string');
    if (UNAVAILABLE_ADAPTER_KINDS.has(kind)) return { kind, ...(code ? { code } : {}) };
    if (kind === 'postgres' && sqlState && isUnavailableSqlState(sqlState)) return { kind: 'postgres', code: sqlState };
  }
  if (code && UNAVAILABLE_PRISMA_CODES.has(code)) return { kind: 'prisma', code };
  if (code === 'P2028' && fields.message === TRANSACTION_START_TIMEOUT) return { kind: 'transaction start timeout', code };
  // A server error straight from node-postgres (readiness, migrations): SQLSTATE with a severity.
  if (code && typeof fields.severity === 'string' && isUnavailableSqlState(code)) return { kind: 'postgres', code };
  if (code && UNAVAILABLE_SOCKET_CODES.has(code)) return { kind: 'socket', code };
  if (typeof fields.message === 'string' && UNAVAILABLE_PG_MESSAGES.has(fields.message)) return { kind: 'pg', code: fields.message };
  return findDatabaseFailure(fields.originalError, depth + 1) ?? findDatabaseFailure(fields.cause, depth + 1);
}

function isUnavailableSqlState(sqlState: string): boolean {
  return UNAVAILABLE_SQLSTATES.has(sqlState) || sqlState.startsWith(CONNECTION_EXCEPTION_CLASS);
}

/**
 * The one answer while the database is unavailable: SERVICE_UNAVAILABLE, reason DATABASE_UNAVAILABLE,
 * `retryAfter` in seconds, and (through Apollo's `extensions.http`) an HTTP 503 with Retry-After. It says
 * nothing about the database itself: which host, which error, is the operator's business, in the log.
 */
export class DatabaseUnavailableError extends AppError {
  constructor(readonly failure: DatabaseFailure) {
    super(ErrorCode.SERVICE_UNAVAILABLE, 'The service is temporarily unavailable; try again shortly.', {
      reason: ErrorReason.DATABASE_UNAVAILABLE,
      retryAfter: DATABASE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: new Map([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]) },
    });
  }
}

/** Rethrows a database outage as DatabaseUnavailableError; anything else unchanged. */
export function asDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const failure = findDatabaseFailure(error);
  return failure ? new DatabaseUnavailableError(failure) : error;
}
