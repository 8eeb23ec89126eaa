import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LOGIN_FAILURES, LOGIN_SUCCESSES, REFRESH_RESULTS } from './metrics';
import type { Metrics } from './metrics';

/** Metrics as Prometheus reads them: the text exposition of this app's own registry. */
export interface PrometheusMetrics extends Metrics {
  readonly contentType: string;
  render(): Promise<string>;
}

// argon2 at the production parameters takes tens of milliseconds; a queue behind it, seconds.
const HASH_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const REQUEST_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * A registry per app (createApp), never prom-client's global one: tests start several apps in one
 * process, and each must count only its own requests. Label sets known in advance start at zero, so
 * `rate()` and `increase()` see a login's first failure as an increase rather than a new series.
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which `promtool check metrics` rejects; each is the sum of its
  // per-type sibling (nodejs_active_handles{type} …), so nothing is lost.
  LINT_FAILING_DEFAULTS.forEach((name) => registry.removeSingleMetric(name));

  const logins = new Counter({ name: 'gatehouse_logins_total', help: 'Password logins, by result and reason.', labelNames: ['result', 'reason'] as const, registers });
  const refreshes = new Counter({ name: 'gatehouse_refreshes_total', help: 'Refresh token exchanges, by result.', labelNames: ['result'] as const, registers });
  const reuses = new Counter({ name: 'gatehouse_refresh_reuse_detected_total', help: 'Rotated refresh tokens presented again past the grace window (the session was ended).', registers });
  const revoked = new Counter({ name: 'gatehouse_sessions_revoked_total', help: 'Sessions ended, by reason.', labelNames: ['reason'] as const, registers });
  const rateLimited = new Counter({ name: 'gatehouse_rate_limited_total', help: 'Attempts refused by a rate limit or lock, by limiter.', labelNames: ['limiter'] as const, registers });
  const hashSeconds = new Histogram({ name: 'gatehouse_password_hash_seconds', help: 'argon2 hash or verification time, queueing excluded.', buckets: HASH_BUCKETS_SECONDS, registers });
  const denied = new Counter({ name: 'gatehouse_authorization_denied_total', help: 'Fields the permission rules refused, by parent type and field.', labelNames: ['type', 'field'] as const, registers });
  const operationSeconds = new Histogram({
    name: 'gatehouse_graphql_operation_seconds',
    help: 'GraphQL request time, by operation (its type and root field, from the schema; "invalid" when it did not validate).',
    labelNames: ['operation'] as const,
    buckets: REQUEST_BUCKETS_SECONDS,
    registers,
  });
  const httpRequests = new Counter({ name: 'gatehouse_http_requests_total', help: 'HTTP requests, by method, route and status.', labelNames: ['method', 'route', 'status'] as const, registers });
  const httpSeconds = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request time, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: REQUEST_BUCKETS_SECONDS,
    registers,
  });
  let readHashQueue = (): number => 0;
  new Gauge({
    name: 'gatehouse_hash_queue_depth',
    help: 'Password hashes waiting for a slot (PASSWORD_HASH_CONCURRENCY); past PASSWORD_HASH_QUEUE_LIMIT logins are shed.',
    registers,
    collect() {
      this.set(readHashQueue());
    },
  });

  LOGIN_SUCCESSES.forEach((reason) => logins.labels('success', reason));
  LOGIN_FAILURES.forEach((reason) => logins.labels('failure', reason));
  REFRESH_RESULTS.forEach((result) => refreshes.labels(result));

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    loginSucceeded: (reason) => logins.labels('success', reason).inc(),
    loginFailed: (reason) => logins.labels('failure', reason).inc(),
    refreshed: (result) => refreshes.labels(result).inc(),
    refreshReuseDetected: () => reuses.inc(),
    sessionsRevoked: (reason, count) => {
      if (count > 0) revoked.labels(reason.toLowerCase()).inc(count);
    },
    rateLimited: (limiter) => rateLimited.labels(limiter).inc(),
    passwordHashed: (seconds) => hashSeconds.observe(seconds),
    watchHashQueue: (waiting) => {
      readHashQueue = waiting;
    },
    authorizationDenied: (type, field) => denied.labels(type, field).inc(),
    graphqlOperation: (operation, seconds) => operationSeconds.labels(operation).observe(seconds),
    httpRequest: (method, route, status, seconds) => {
      httpRequests.labels(method, route, String(status)).inc();
      httpSeconds.labels(method, route).observe(seconds);
    },
  };
}
