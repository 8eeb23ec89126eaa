import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DatabaseInUseError } from './database';

const SHUTDOWN_TIMEOUT_MILLISECONDS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const port = await app.listen();
  const where = config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL';
  app.logger.info({ port, database: config.database.kind }, `Gatehouse listening on http://localhost:${port}/graphql (${where})`);

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
  // A configuration problem is the operator's to fix: say which variable, without a stack trace.
  console.error(error instanceof ConfigError || error instanceof DatabaseInUseError ? error.message : error);
  process.exit(1);
});
