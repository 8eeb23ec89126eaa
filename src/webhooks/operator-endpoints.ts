import { createHash } from 'node:crypto';
import type { OperatorWebhookEndpoint } from '../config/webhook-config';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * An operator endpoint's row id, derived from its URL: every instance starting with the same
 * WEBHOOK_ENDPOINTS writes the same rows, so instances starting at once cannot register one twice.
 */
export function operatorEndpointId(url: string): string {
  const hex = createHash('sha256').update(`gatehouse-operator-webhook:${url}`).digest('hex');
  // Shaped as a UUID (version 8, "custom"), which the column's type requires.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Copies the configured operator endpoints into WebhookEndpoint, where the outbox trigger looks for
 * receivers, and removes those no longer configured (with their pending deliveries). Their secrets stay
 * in the configuration. Run at each start; idempotent.
 */
export async function syncOperatorEndpoints(prisma: PrismaClient, endpoints: readonly OperatorWebhookEndpoint[]): Promise<void> {
  const ids = endpoints.map((endpoint) => operatorEndpointId(endpoint.url));
  await prisma.webhookEndpoint.deleteMany({ where: { accountId: null, id: { notIn: ids } } });
  if (endpoints.length === 0) return;
  await prisma.webhookEndpoint.createMany({
    data: endpoints.map((endpoint) => ({ id: operatorEndpointId(endpoint.url), url: endpoint.url, description: 'WEBHOOK_ENDPOINTS' })),
    skipDuplicates: true,
  });
}

/** The secret of an operator endpoint by its row id, or undefined when this instance's configuration lacks it. */
export function operatorSecretOf(endpoints: readonly OperatorWebhookEndpoint[], endpointId: string): string | undefined {
  return endpoints.find((endpoint) => operatorEndpointId(endpoint.url) === endpointId)?.secret;
}
