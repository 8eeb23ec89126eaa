import { Router } from 'express';
import { readRecentOutboxMessages } from '../email/outbox-messages';
import type { PrismaClient } from '../generated/prisma/client';
import { isFromThisMachine } from './loopback-request';

/** Where the running server lists its outbox, for `npm run outbox`: a second process cannot open the embedded database. */
export const OUTBOX_PATH = '/dev/outbox';

const DEFAULT_ENTRIES = 20;

/**
 * GET /dev/outbox?limit=n: the newest messages (to, subject, links, time) as JSON. No authentication:
 * the router that mounts it exists only in development without SMTP (see development-mail.ts), and it
 * answers requests from this machine only, since every link in it is a credential.
 */
export function createOutboxEndpoint(prisma: PrismaClient): Router {
  const router = Router();
  router.get(OUTBOX_PATH, async (request, response) => {
    if (!isFromThisMachine(request)) {
      response.status(403).json({ error: 'The development outbox answers requests from this machine only (http://localhost).' });
      return;
    }
    const limit = typeof request.query.limit === 'string' ? Number.parseInt(request.query.limit, 10) : Number.NaN;
    const messages = await readRecentOutboxMessages(prisma, Number.isNaN(limit) ? DEFAULT_ENTRIES : limit);
    response.set('cache-control', 'no-store').json({ messages });
  });
  return router;
}
