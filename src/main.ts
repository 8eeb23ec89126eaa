import type { Config } from './config/config';
import { loadConfig } from './config/load-config';
import type { Tracing } from './tracing/tracing-sdk';

const SHUTDOWN_TIMEOUT_MILLISECONDS = 10_000;

/** Set once read, so that a failure after it can be explained in the configuration's terms. */
let config: Config | null = null;

/**
 * The app and everything it loads (express, graphql, pg, and startup/startup-failure.ts, which loads graphql)
 * are imported only after tracing has started: instrumentation patches a module as it is first loaded.
 * With tracing off, no module of OpenTelemetry is loaded at all.
 */
async function main(): Promise<void> {
  config = loadConfig();
  const tracing: Tracing | null = config.tracing ? (await import('./tracing/tracing-sdk')).startTracing(config.tracing) : null;
  const { createApp } = await import('./app');
  const { asListenAddressError, checkListenAddress, localUrl } = await import('./startup/listen-address');
  const { redactDatabaseUrl } = await import('./startup/startup-failure');

  const { host, port: configuredPort } = config;
  // Before the database is opened and migrated: a port in use stops start-up at once.
  await checkListenAddress(host, configuredPort);
  const settings = config;
  const app = await (tracing ? tracing.untraced(() => createApp(settings)) : createApp(settings));
  const port = await app.listen().catch((error: unknown) => {
    throw asListenAddressError(error, host, configuredPort);
  });
  const where = config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : `PostgreSQL at ${redactDatabaseUrl(config.database.url)}`;
  const url = localUrl(host, port, '/graphql');
  const playground = config.playgroundEnabled ? `Playground: open ${url} in a browser` : 'Playground off (PLAYGROUND_ENABLED)';
  // Not the endpoint: its URL may hold a collector's credentials.
  const traces = config.tracing ? `. Traces exported over OTLP as ${config.tracing.serviceName}` : '';
  app.logger.info({ port, database: config.database.kind, url }, `Gatehouse listening on ${url} (${where}). ${playground}${traces}`);

  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    // A stuck connection must not keep an orchestrator waiting past its own kill timeout.
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MILLISECONDS).unref();
    app
      .close()
      // The last requests' spans leave before the process does.
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.logger.error({ err: error }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(async (error: unknown) => {
  const { explainStartupFailure } = await import('./startup/startup-failure');
  // What the operator can fix is said in one line naming the variable, without a stack trace.
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
