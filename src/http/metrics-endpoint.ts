import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics';

export const METRICS_PATH = '/metrics';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Digests compared, not the texts: equal lengths for timingSafeEqual, and no timing clue to the token's length. */
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * GET /metrics: the exposition, to a scrape presenting `Authorization: Bearer <token>` when a token is
 * set (compared in constant time); 401 otherwise. Counters name no user, but they show how the service
 * is used and attacked, so only the operator's Prometheus reads them.
 */
export function createMetricsHandler(metrics: PrometheusMetrics, token: string | null, logger: Logger): Handler {
  const expected = token === null ? null : digest(token);
  return (request, response) => {
    response.setHeader('cache-control', 'no-store');
    if (expected !== null) {
      const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(presented), expected)) {
        response.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' });
        response.end('A bearer token (METRICS_TOKEN) is required.\n');
        return;
      }
    }
    metrics.render().then(
      (body) => {
        response.writeHead(200, { 'content-type': metrics.contentType });
        response.end(body);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'could not render the metrics');
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('The metrics could not be rendered.\n');
      },
    );
  };
}

/**
 * /metrics on a port of its own (METRICS_PORT): nothing else is served there, so it can be bound to an
 * interface only Prometheus reaches while the service's port faces the clients.
 */
export function createMetricsServer(handler: Handler): http.Server {
  return http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === METRICS_PATH && (request.method === 'GET' || request.method === 'HEAD')) return handler(request, response);
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not found. Metrics are at GET /metrics.\n');
  });
}

export function listenOn(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
