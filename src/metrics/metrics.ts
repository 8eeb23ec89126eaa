/**
 * What the service tells its metrics, as verbs the code calls where each event happens. Every label
 * value comes from a closed set: a union below, or a value the caller's own type bounds (a limiter's
 * name, a revocation reason, a schema's type and field names). Nothing a client sends ever becomes a
 * label, so no request can add a series; no label carries an id, an address or a secret.
 *
 * The Prometheus implementation (prometheus-metrics.ts) is loaded only when /metrics is served; otherwise
 * `noMetrics` takes every call for nothing, and prom-client is never required.
 */

/** A login whose password was right: what it answered. */
export const LOGIN_SUCCESSES = ['session', 'account_choice', 'second_factor_required'] as const;
export type LoginSuccess = (typeof LOGIN_SUCCESSES)[number];
/** Why a login failed. `refused`: the password was right, but the login could not go on (not a member, a 2FA rule). */
export const LOGIN_FAILURES = ['unknown_user', 'wrong_password', 'rate_limited', 'server_busy', 'refused'] as const;
export type LoginFailure = (typeof LOGIN_FAILURES)[number];
/**
 * rotated: a new pair; grace_replay: a rotated token again inside the grace window (racing tabs), answered
 * with its successor; reused: a rotated token past the window, so the session ended; refused: any other refusal.
 */
export const REFRESH_RESULTS = ['rotated', 'grace_replay', 'reused', 'refused'] as const;
export type RefreshResult = (typeof REFRESH_RESULTS)[number];

export interface Metrics {
  loginSucceeded(reason: LoginSuccess): void;
  loginFailed(reason: LoginFailure): void;
  refreshed(result: RefreshResult): void;
  refreshReuseDetected(): void;
  /** `reason`: a RevocationReason (sessions/revocation.ts), lower-cased. Counted when the statement ran. */
  sessionsRevoked(reason: string, count: number): void;
  /** `limiter`: a LimiterName (abuse/rate-limits.ts). */
  rateLimited(limiter: string): void;
  /** One argon2 hash or verification, from the moment it had a slot (queueing excluded). */
  passwordHashed(seconds: number): void;
  /** Reads the hashes waiting for a slot whenever Prometheus scrapes (called once by the hasher's owner). */
  watchHashQueue(waiting: () => number): void;
  /** A field graphql-shield refused: its parent type and field names, from the schema. */
  authorizationDenied(type: string, field: string): void;
  /** `operation`: derived from the schema (graphql-operation-label.ts), never the client's operationName. */
  graphqlOperation(operation: string, seconds: number): void;
  /** `route` and `method` from closed sets (http-route-label.ts); `status` an HTTP status code. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
}

const nothing = (): void => undefined;

/** Metrics off: every call is a no-op, so instrumented code never asks whether metrics are on. */
export const noMetrics: Metrics = {
  loginSucceeded: nothing,
  loginFailed: nothing,
  refreshed: nothing,
  refreshReuseDetected: nothing,
  sessionsRevoked: nothing,
  rateLimited: nothing,
  passwordHashed: nothing,
  watchHashQueue: nothing,
  authorizationDenied: nothing,
  graphqlOperation: nothing,
  httpRequest: nothing,
};
