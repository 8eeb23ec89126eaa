import type { WebhookEndpoint } from '../generated/prisma/client';

/** An account's endpoint as its admins see it: never the secret, which is shown once, at creation. */
export interface AccountWebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly createdAt: Date;
}

export const webhookEndpointOf = (row: WebhookEndpoint): AccountWebhookEndpoint => ({ id: row.id, url: row.url, description: row.description, createdAt: row.createdAt });
