import { randomBytes } from 'node:crypto';

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** Bound into the sealed secret (SecretBox's associated data): a sealed secret copied to another endpoint's row does not open. */
export const endpointSecretContext = (endpointId: string): string => `webhook-endpoint:${endpointId}`;
