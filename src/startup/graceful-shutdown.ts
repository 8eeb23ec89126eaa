/** What shutting down needs of the app (see App in app.ts). */
export interface DrainableApp {
  beginDraining(): void;
  close(): Promise<void>;
}

export interface GracefulShutdownOptions {
  /** SHUTDOWN_DRAIN_SECONDS, in milliseconds: how long /readyz answers 503 before connections are refused. */
  readonly drainMilliseconds: number;
  /** Counted from close(): a stuck connection must not keep an orchestrator waiting past its own kill timeout. */
  readonly closeTimeoutMilliseconds: number;
  /** The app's logger (pino), as far as shutting down uses it. */
  readonly logger: { info(fields: object, message: string): void; error(fields: object, message: string): void };
  readonly exit: (code: number) => void;
}

/**
 * The handler for SIGTERM and SIGINT. The first signal starts the drain: /readyz turns 503 while every
 * request, new ones included, is still served, so a load balancer's health checks take the instance out
 * before it refuses anything. Then the app closes: it stops accepting connections, closes idle keep-alive
 * ones, lets in-flight requests finish, closes the database, and the process exits 0. Another signal during
 * the drain (an impatient Ctrl-C, an orchestrator asking again) skips what is left of it.
 */
export function createShutdownHandler(app: DrainableApp, options: GracefulShutdownOptions): (signal: string) => void {
  const { drainMilliseconds, closeTimeoutMilliseconds, logger, exit } = options;
  let drainTimer: NodeJS.Timeout | undefined;
  let isClosing = false;

  const close = () => {
    if (isClosing) return;
    isClosing = true;
    clearTimeout(drainTimer);
    const closeTimer = setTimeout(() => {
      logger.error({ closeTimeoutMilliseconds }, 'connections still open after the shutdown timeout; exiting');
      exit(1);
    }, closeTimeoutMilliseconds);
    closeTimer.unref();
    app.close().then(
      () => {
        clearTimeout(closeTimer);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(closeTimer);
        logger.error({ err: error }, 'error during shutdown');
        exit(1);
      },
    );
  };

  return (signal: string) => {
    if (isClosing) return;
    if (drainTimer !== undefined || drainMilliseconds === 0) {
      logger.info({ signal }, 'shutting down');
      close();
      return;
    }
    app.beginDraining();
    logger.info({ signal, drainMilliseconds }, `shutting down: /readyz answers 503 for ${drainMilliseconds} ms while requests are still served`);
    drainTimer = setTimeout(close, drainMilliseconds);
  };
}
