import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { MetricsConfig } from '../config/metrics-config';
import type { Logger } from '../logger';
import { loadPrometheusMetrics } from '../metrics/load-prometheus-metrics';
import { noMetrics } from '../metrics/metrics';
import type { Metrics } from '../metrics/metrics';
import { createGraphqlMetricsPlugin } from './graphql-metrics-plugin';
import { createHttpMetrics } from './http-metrics';
import { createMetricsHandler, createMetricsServer, listenOn, METRICS_PATH } from './metrics-endpoint';

/** Everything createApp wires for metrics, or nothing at all when they are off. */
export interface MetricsExposure {
  /** What the services count on: noMetrics when off. */
  readonly metrics: Metrics;
  /** For the main app, first of all: times every response. */
  readonly timing: RequestHandler | null;
  /** GET /metrics when served on PORT. */
  readonly endpoint: RequestHandler | null;
  readonly plugins: readonly ApolloServerPlugin[];
  /** Starts the metrics port, if any; resolves with its bound port, or null. */
  listen(): Promise<number | null>;
  close(): Promise<void>;
}

export function createMetricsExposure(config: MetricsConfig, logger: Logger): MetricsExposure {
  if (config.exposure === 'off') {
    return { metrics: noMetrics, timing: null, endpoint: null, plugins: [], listen: async () => null, close: async () => undefined };
  }
  const metrics = loadPrometheusMetrics();
  const handler = createMetricsHandler(metrics, config.token, logger);
  const served: RequestHandler = (request, response, next) => {
    if (request.path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    handler(request, response);
  };
  const server: http.Server | null = config.exposure === 'own-port' ? createMetricsServer(handler) : null;
  return {
    metrics,
    timing: createHttpMetrics(metrics),
    endpoint: config.exposure === 'main' ? served : null,
    plugins: [createGraphqlMetricsPlugin(metrics)],
    listen: async () => (server && config.port !== null ? listenOn(server, config.port, config.host) : null),
    close: async () => {
      if (!server?.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A scrape is short: Prometheus's kept-alive connections would otherwise hold the close open.
      server.closeAllConnections();
      await closed;
    },
  };
}
