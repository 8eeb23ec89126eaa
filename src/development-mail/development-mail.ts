import { Router } from 'express';
import type { Config } from '../config/config';
import type { PrismaClient } from '../generated/prisma/client';
import { createLinkPages, linksLeadHere } from './link-pages';
import { createOutboxEndpoint } from './outbox-endpoint';

/**
 * What makes mail usable on a developer's machine with nothing configured (README, "Development
 * mail"): the outbox listed at GET /dev/outbox when mail goes to the outbox, and pages for the mailed
 * links when they point at this server. Outside development the router is empty, whatever else is
 * configured: production and test servers answer these paths 404 by construction.
 */
export function createDevelopmentMailRouter(config: Pick<Config, 'isDevelopment' | 'mail' | 'publicUrl' | 'port'>, prisma: PrismaClient): Router {
  const router = Router();
  if (!config.isDevelopment) return router;
  if (config.mail.smtpUrl === null) router.use(createOutboxEndpoint(prisma));
  if (linksLeadHere(config)) router.use(createLinkPages());
  return router;
}
