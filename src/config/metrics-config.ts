import type { ReportProblem } from './config-error';
import type { Environment } from './environment';
import { checkHeaderSecret } from './secrets';

/**
 * Where GET /metrics is served. Counters name no user, but they show how a service is used and attacked
 * (failed logins, locks, denials): in production nobody reads them until the operator says how they are
 * protected. `main`: on the service's port, behind the bearer token when one is set (outside production
 * without one: open, for a developer's curl). `own-port`: on a port of its own, which the operator binds
 * to an interface only Prometheus reaches.
 */
export interface MetricsConfig {
  readonly exposure: 'off' | 'main' | 'own-port';
  /** METRICS_TOKEN: the bearer secret a scrape must present; null: none asked (own port, or development). */
  readonly token: string | null;
  /** METRICS_PORT (0: any free port, for tests) and METRICS_HOST (by default HOST), for `own-port`. */
  readonly port: number | null;
  readonly host: string;
}

export function readMetricsConfig(
  values: Pick<Environment, 'METRICS_TOKEN' | 'METRICS_PORT' | 'METRICS_HOST' | 'PORT' | 'HOST'>,
  isProduction: boolean,
  report: ReportProblem,
): MetricsConfig {
  const token = checkHeaderSecret('METRICS_TOKEN', values.METRICS_TOKEN, report);
  const port = values.METRICS_PORT ?? null;
  if (port !== null && port !== 0 && port === values.PORT) report('METRICS_PORT', 'must differ from PORT (leave it unset to serve /metrics on PORT behind METRICS_TOKEN)');
  const host = values.METRICS_HOST ?? values.HOST;
  if (port !== null) return { exposure: 'own-port', token, port, host };
  if (token !== null || !isProduction) return { exposure: 'main', token, port, host };
  return { exposure: 'off', token, port, host };
}
