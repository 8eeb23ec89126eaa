import type { Prisma } from '../generated/prisma/client';

/** Whom to erase from the audit log, and the pseudonym their events keep instead of their id. */
export interface ErasedPerson {
  readonly userId: string;
  /** Their address, as details may hold it (an invitation sent to them). */
  readonly email: string;
  /**
   * A fresh random id, the same on every row of this person: an account's log still shows that these
   * events were one (deleted) actor's, but nothing outside Gatehouse that knew the old id (a subgraph, a
   * log shipper, an access token's `sub`) can join it to them any more.
   */
  readonly pseudonym: string;
}

/**
 * Strips what identifies a deleted user from the audit log, inside the transaction that deletes them. The
 * events stay (type, reason, time, account): an account keeps the record of what happened in it, and
 * security reviews keep their counts. What goes is the person: their id (replaced by the pseudonym), the
 * address and browser they came from, their session ids (which other systems' logs carry), and their
 * address wherever a detail holds it. Ids of other people and invitation addresses on the rows of their
 * own actions (invitations they sent) are not theirs to erase, but an address is dropped from their rows
 * anyway: the log records that an invitation went out, not to whom, once its sender is gone.
 *
 * The details conditions scan the table: erasure is rare, and an index on every details key is not worth its upkeep.
 */
export async function erasePersonFromAuditLog(transaction: Prisma.TransactionClient, person: ErasedPerson): Promise<void> {
  const { userId, email, pseudonym } = person;
  await transaction.$executeRaw`UPDATE "AuthEvent"
    SET "userId" = ${pseudonym}::uuid, "ip" = NULL, "userAgent" = NULL, "sessionId" = NULL, "details" = "details" - 'email'
    WHERE "userId" = ${userId}::uuid`;
  for (const key of ['targetUserId', 'invitedByUserId'] as const) {
    await transaction.$executeRaw`UPDATE "AuthEvent"
      SET "details" = jsonb_set("details", ARRAY[${key}]::text[], to_jsonb(${pseudonym}::text))
      WHERE "details" ->> ${key} = ${userId}`;
  }
  await transaction.$executeRaw`UPDATE "AuthEvent" SET "details" = "details" - 'email' WHERE "details" ->> 'email' = ${email}`;
}
