import { Router } from 'express';
import type { Database } from '../database/open-database';

const READINESS_TIMEOUT_MILLISECONDS = 2_000;

/** /healthz: the process answers. /readyz: it can reach its database, so a load balancer may send traffic. */
export function createHealthRouter(database: Pick<Database, 'ping'>): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
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
