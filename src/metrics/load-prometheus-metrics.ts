import type { PrometheusMetrics } from './prometheus-metrics';

/**
 * prom-client and the registry, loaded only when /metrics is served: an instance whose metrics are off
 * (production without METRICS_TOKEN or METRICS_PORT) never requires it, nor samples the event loop and GC.
 */
export function loadPrometheusMetrics(): PrometheusMetrics {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded only when configured
  const { createPrometheusMetrics } = require('./prometheus-metrics') as typeof import('./prometheus-metrics');
  return createPrometheusMetrics();
}
