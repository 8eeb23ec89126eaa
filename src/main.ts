import type { Config } from './config/config';
import { loadConfig } from './config/load-config';
import { lowerThreadPoolPriority } from './passwords/thread-pool-priority';
import type { Tracing } from './tracing/tracing-sdk';

const SHUTDOWN_TIMEOUT_MILLISECONDS = 10_000;
const START_UP_GARBAGE_DELAY_MILLISECONDS = 1_000;

/** Set once read, so that a failure after it can be explained in the configuration's terms. */
let config: Config | null = null;

/**
 * The app and everything it loads (express, graphql, pg, and startup/startup-failure.ts, which loads graphql)
 * are imported only after tracing has started: instrumentation patches a module as it is first loaded.
 * With tracing off, no module of OpenTelemetry is loaded at all.
 */
async function main(): Promise<void> {
  config = loadConfig();
  // Before anything queues work on libuv's pool: its threads are told apart by being new.
  await lowerThreadPoolPriority(config.passwords.hashThreadNiceness);
  const tracing: Tracing | null = config.tracing ? (await import('./tracing/tracing-sdk')).startTracing(config.tracing) : null;
  const { asListenAddressError, checkListenAddress, localUrl } = await import('./startup/listen-address');
  const { host, port: configuredPort } = config;
  // Before the database is opened and migrated: a port in use stops start-up at once.
  await checkListenAddress(host, configuredPort);
  // Begun before the app's modules load (0.4 s of this thread's time, up to 1 s beside the copy): meanwhile a first start's copy
  // of the cluster template runs on libuv's threads (database/cluster-template.ts). Not traced: PGlite is not instrumented.
  const embeddedDatabase = config.database.kind === 'pglite' ? await (await import('./database/embedded-database')).beginEmbeddedDatabase(config.database.dataDir) : undefined;

  const { createApp } = await import('./app');
  const { redactDatabaseUrl } = await import('./startup/startup-failure');
  const { createShutdownHandler } = await import('./startup/graceful-shutdown');
  const { collectStartUpGarbage } = await import('./startup/start-up-garbage');
  const settings = config;
  const app = await (tracing ? tracing.untraced(() => createApp(settings, { embeddedDatabase })) : createApp(settings, { embeddedDatabase }));
  const port = await app.listen().catch((error: unknown) => {
    throw asListenAddressError(error, host, configuredPort);
  });
  const where = config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : `PostgreSQL at ${redactDatabaseUrl(config.database.url)}`;
  const url = localUrl(host, port, '/graphql');
  const playground = config.playgroundEnabled ? `Playground: open ${url} in a browser` : 'Playground off (PLAYGROUND_ENABLED)';
  // Not the endpoint: its URL may hold a collector's credentials.
  const traces = config.tracing ? `. Traces exported over OTLP as ${config.tracing.serviceName}` : '';
  app.logger.info({ port, database: config.database.kind, url }, `Gatehouse listening on ${url} (${where}). ${playground}${traces}`);
  app.logger.info({ metrics: config.metrics.exposure, metricsPort: app.metricsPort() }, metricsLine(config.metrics, app.metricsPort(), localUrl));
  // A second later, not at once: run at once it freed none of the embedded database's start-up buffers (measured).
  setTimeout(collectStartUpGarbage, START_UP_GARBAGE_DELAY_MILLISECONDS).unref();

  const shutdown = createShutdownHandler(
    {
      beginDraining: () => app.beginDraining(),
      // The last requests' spans leave before the process does.
      close: () => app.close().then(() => tracing?.shutdown()),
    },
    {
      drainMilliseconds: config.shutdownDrainSeconds * 1000,
      closeTimeoutMilliseconds: SHUTDOWN_TIMEOUT_MILLISECONDS,
      logger: app.logger,
      exit: (code) => process.exit(code),
    },
  );
  // on, not once: a second signal during the drain ends it early (graceful-shutdown.ts).
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Where GET /metrics is, in one line an operator can act on (README, "Metrics"). */
function metricsLine(metrics: Config['metrics'], metricsPort: number | null, localUrl: (host: string, port: number, path: string) => string): string {
  if (metrics.exposure === 'off') return 'metrics off: set METRICS_TOKEN or METRICS_PORT to serve GET /metrics';
  if (metrics.exposure === 'own-port') return `metrics at ${localUrl(metrics.host, metricsPort ?? 0, '/metrics')}${metrics.token ? ' (bearer token)' : ''}`;
  return metrics.token ? 'metrics at /metrics (bearer token: METRICS_TOKEN)' : 'metrics at /metrics, open (development; set METRICS_TOKEN to protect them)';
}

main().catch(async (error: unknown) => {
  const { explainStartupFailure } = await import('./startup/startup-failure');
  // What the operator can fix is said in one line naming the variable, without a stack trace.
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
