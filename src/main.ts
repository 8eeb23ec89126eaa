import { createApp } from './app';
import type { Config } from './config/config';
import { loadConfig } from './config/load-config';
import { asListenAddressError, checkListenAddress, localUrl } from './startup/listen-address';
import { collectStartUpGarbage } from './startup/start-up-garbage';
import { explainStartupFailure, redactDatabaseUrl } from './startup/startup-failure';

const SHUTDOWN_TIMEOUT_MILLISECONDS = 10_000;
const START_UP_GARBAGE_DELAY_MILLISECONDS = 1_000;

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
  // A second later, not at once: run at once it freed none of the embedded database's start-up buffers (measured).
  setTimeout(collectStartUpGarbage, START_UP_GARBAGE_DELAY_MILLISECONDS).unref();

  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    // A stuck connection must not keep an orchestrator waiting past its own kill timeout.
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MILLISECONDS).unref();
    app.close().then(
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

main().catch((error: unknown) => {
  // What the operator can fix is said in one line naming the variable, without a stack trace.
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
