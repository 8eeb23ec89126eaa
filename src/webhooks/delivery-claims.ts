import { randomUUID } from 'node:crypto';
import { addSeconds } from '../clock';
import type { PrismaClient } from '../generated/prisma/client';

/** A delivery this instance holds the lease of. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly leaseToken: string;
}

/** A time as the `timestamp(3)` columns hold it, UTC: text cast in the statement, whatever the session's zone. */
const utc = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly statusCode: number }
  | { readonly kind: 'retry'; readonly nextAttemptAt: Date; readonly statusCode: number | null; readonly error: string }
  | { readonly kind: 'failed'; readonly statusCode: number | null; readonly error: string };

/**
 * The outbox's leases. A claim marks due deliveries as this instance's until `lockedUntil`, in one
 * statement whose `FOR UPDATE SKIP LOCKED` lets two instances claiming at once take different rows instead
 * of waiting on (or both taking) the same ones. The lease outlives one attempt's timeout, so while an
 * instance is still trying nobody else starts; if it dies, the lease runs out and another instance claims
 * the delivery again: at least once, never two at the same time. Every later write names the lease token,
 * so an instance that overran its lease cannot overwrite the newer holder's result.
 */
export class DeliveryClaims {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(now: Date, leaseSeconds: number, limit: number): Promise<ClaimedDelivery[]> {
    const leaseToken = randomUUID();
    const lockedUntil = addSeconds(now, leaseSeconds);
    const rows = await this.prisma.$queryRaw<Omit<ClaimedDelivery, 'leaseToken'>[]>`
      UPDATE "WebhookDelivery" SET "lockedUntil" = ${utc(lockedUntil)}::timestamp(3), "leaseToken" = ${leaseToken}::uuid
      WHERE "id" IN (
        SELECT "id" FROM "WebhookDelivery"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${utc(now)}::timestamp(3) AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${utc(now)}::timestamp(3))
        ORDER BY "nextAttemptAt"
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id", "eventId", "endpointId", "attempts"`;
    return rows.map((row) => ({ ...row, leaseToken }));
  }

  /** Records an attempt's outcome, if the lease is still this instance's. */
  async settle(delivery: ClaimedDelivery, now: Date, outcome: AttemptOutcome): Promise<void> {
    const status = outcome.kind === 'delivered' ? 'DELIVERED' : outcome.kind === 'retry' ? 'PENDING' : 'FAILED';
    const nextAttemptAt = outcome.kind === 'retry' ? outcome.nextAttemptAt : now;
    const deliveredAt = outcome.kind === 'delivered' ? now : null;
    const error = outcome.kind === 'delivered' ? null : outcome.error.slice(0, 500);
    await this.prisma.$executeRaw`
      UPDATE "WebhookDelivery"
      SET "status" = ${status}, "attempts" = "attempts" + 1, "nextAttemptAt" = ${utc(nextAttemptAt)}::timestamp(3), "deliveredAt" = ${utc(deliveredAt)}::timestamp(3),
          "lastStatusCode" = ${outcome.statusCode}, "lastError" = ${error}, "lockedUntil" = NULL, "leaseToken" = NULL
      WHERE "id" = ${delivery.id}::uuid AND "leaseToken" = ${delivery.leaseToken}::uuid`;
  }

  /** Gives a lease back without counting an attempt (the instance is shutting down mid-attempt). */
  async release(delivery: ClaimedDelivery): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "WebhookDelivery" SET "lockedUntil" = NULL, "leaseToken" = NULL
      WHERE "id" = ${delivery.id}::uuid AND "leaseToken" = ${delivery.leaseToken}::uuid`;
  }
}
