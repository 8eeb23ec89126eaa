import type { AuthEvent } from '../generated/prisma/client';

/** The JSON body every endpoint receives (Standard Webhooks: type, timestamp, data). */
export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly type: string;
    readonly reason: string | null;
    readonly userId: string | null;
    readonly accountId: string | null;
    readonly sessionId: string | null;
    readonly clientId: string | null;
    readonly details: Readonly<Record<string, unknown>> | null;
    readonly createdAt: string;
  };
}

/**
 * Built from the audit row at each attempt, never stored: a person erased since the event (their id
 * replaced by a pseudonym, their session ids dropped) is erased from the retries too. Ids and kinds only:
 * no IP address or browser, and no email address even where the audit row's details hold one.
 */
export function webhookPayloadOf(event: AuthEvent): WebhookPayload {
  const details = event.details !== null && typeof event.details === 'object' && !Array.isArray(event.details) ? { ...event.details } : null;
  if (details) delete details.email;
  return {
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: {
      id: event.id,
      type: event.type,
      reason: event.reason,
      userId: event.userId,
      accountId: event.accountId,
      sessionId: event.sessionId,
      clientId: event.clientId,
      details,
      createdAt: event.createdAt.toISOString(),
    },
  };
}
