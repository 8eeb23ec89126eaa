import { Router } from 'express';
import type { Database } from '../database/open-database';

const READINESS_TIMEOUT_MILLISECONDS = 2_000;

/** Whether the instance is on its way out (main.ts sets it on SIGTERM): it still serves, but wants no new traffic. */
export interface Readiness {
  isDraining(): boolean;
}

/**
 * /healthz: the process answers. /readyz: it can reach its database and is not stopping, so a load
 * balancer may send traffic. A draining instance answers /readyz 503 while serving everything else as
 * before, so the balancer takes it out before it stops accepting connections and no request is refused.
 */
export function createHealthRouter(database: Pick<Database, 'ping'>, readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    if (readiness.isDraining()) {
      response.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await withTimeout(database.ping(), READINESS_TIMEOUT_MILLISECONDS);
      response.json({ status: 'ok', database: 'up' });
    } catch {
      response.status(503).json({ status: 'unavailable', database: 'down' });
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
