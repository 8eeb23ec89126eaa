import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics';
import { JWKS_PATH } from './jwks';

/**
 * The `route` label: the service's own endpoints by name, everything else "other". The path a client
 * asks for is never a label, or a scan of random URLs would add a series per URL.
 */
const ROUTES: ReadonlySet<string> = new Set(['/graphql', '/healthz', '/readyz', '/metrics', JWKS_PATH]);
/** The `method` label: the methods the service answers; anything a client invents is "other". */
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);

export const routeLabel = (path: string): string => (ROUTES.has(path) ? path : 'other');
export const methodLabel = (method: string): string => (METHODS.has(method) ? method : 'other');

/** Counts and times every response (gatehouse_http_requests_total, gatehouse_http_request_duration_seconds). */
export function createHttpMetrics(metrics: Metrics): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    // Read now: a router mounted on a path (app.use('/graphql', …)) rewrites request.path while it runs.
    const method = methodLabel(request.method);
    const route = routeLabel(request.path);
    response.once('finish', () => metrics.httpRequest(method, route, response.statusCode, (performance.now() - started) / 1000));
    next();
  };
}
