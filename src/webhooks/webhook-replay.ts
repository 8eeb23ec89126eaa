import type { Prisma, PrismaClient } from '../generated/prisma/client';

/**
 * Queues an event again for its receivers, as a fresh delivery (attempts from zero, due now): for an
 * account, to that account's endpoints; for the operator (accountId null), to every endpoint that would
 * receive it now. A delivery in flight keeps its lease (lockedUntil), so a replay never makes two attempts
 * run at once, but loses its lease token: that attempt's outcome is not recorded over the replay, which is
 * sent once the lease runs out. Resolves with how many deliveries were queued.
 */
export async function replayEvent(prisma: PrismaClient | Prisma.TransactionClient, eventId: string, now: Date, accountId: string | null): Promise<number> {
  const at = now.toISOString();
  return prisma.$executeRaw`
    INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "status", "attempts", "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid(), event."id", endpoint."id", 'PENDING', 0, ${at}::timestamp(3), ${at}::timestamp(3)
    FROM "AuthEvent" event
    JOIN "WebhookEndpoint" endpoint ON (endpoint."accountId" = event."accountId" OR (endpoint."accountId" IS NULL AND ${accountId}::uuid IS NULL))
    WHERE event."id" = ${eventId}::uuid AND (${accountId}::uuid IS NULL OR endpoint."accountId" = ${accountId}::uuid)
    ON CONFLICT ("eventId", "endpointId") DO UPDATE
    SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = EXCLUDED."nextAttemptAt", "leaseToken" = NULL, "lastError" = NULL, "lastStatusCode" = NULL, "deliveredAt" = NULL`;
}
