import { createApp } from './app';
import type { Config } from './config/config';
import { loadConfig } from './config/load-config';
import { createShutdownHandler } from './startup/graceful-shutdown';
import { asListenAddressError, checkListenAddress, localUrl } from './startup/listen-address';
import { explainStartupFailure, redactDatabaseUrl } from './startup/startup-failure';

/** After the drain: for in-flight requests to finish and the database to close. */
const SHUTDOWN_TIMEOUT_MILLISECONDS = 10_000;

/** Set once read, so that a failure after it can be explained in the configuration's terms. */
let config: Config | null = null;

async function main(): Promise<void> {
  config = loadConfig();
  const { host, port: configuredPort } = config;
  // Before the database is opened and migrated: a port in use stops start-up at once.
  await checkListenAddress(host, configuredPort);
  const app = await createApp(config);
  const port = await app.listen().catch((error: unknown) => {
    throw asListenAddressError(error, host, configuredPort);
  });
  const where = config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : `PostgreSQL at ${redactDatabaseUrl(config.database.url)}`;
  const url = localUrl(host, port, '/graphql');
  const playground = config.playgroundEnabled ? `Playground: open ${url} in a browser` : 'Playground off (PLAYGROUND_ENABLED)';
  app.logger.info({ port, database: config.database.kind, url }, `Gatehouse listening on ${url} (${where}). ${playground}`);
  app.logger.info({ metrics: config.metrics.exposure, metricsPort: app.metricsPort() }, metricsLine(config.metrics, app.metricsPort()));

  const shutdown = createShutdownHandler(app, {
    drainMilliseconds: config.shutdownDrainSeconds * 1000,
    closeTimeoutMilliseconds: SHUTDOWN_TIMEOUT_MILLISECONDS,
    logger: app.logger,
    exit: (code) => process.exit(code),
  });
  // on, not once: a second signal during the drain ends it early (graceful-shutdown.ts).
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Where GET /metrics is, in one line an operator can act on (README, "Metrics"). */
function metricsLine(metrics: Config['metrics'], metricsPort: number | null): string {
  if (metrics.exposure === 'off') return 'metrics off: set METRICS_TOKEN or METRICS_PORT to serve GET /metrics';
  if (metrics.exposure === 'own-port') return `metrics at ${localUrl(metrics.host, metricsPort ?? 0, '/metrics')}${metrics.token ? ' (bearer token)' : ''}`;
  return metrics.token ? 'metrics at /metrics (bearer token: METRICS_TOKEN)' : 'metrics at /metrics, open (development; set METRICS_TOKEN to protect them)';
}

main().catch((error: unknown) => {
  // What the operator can fix is said in one line naming the variable, without a stack trace.
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
