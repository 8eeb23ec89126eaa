import type { AuthEvent } from '../generated/prisma/client';

// The audit row written inside a plain-SQL statement (session opening, refresh rotation), as
// AuditLog.rowFor built it: one column list and one parameter order for every statement that writes one.

/**
 * A CTE body inserting the AuthEvent whose fields are parameters $first … $first+10, in the order
 * authEventParameters gives them, once per row of `source` (none when the statement's gate failed).
 * userId and accountId are $first+3 and $first+4, for statements that use them again.
 */
export function insertAuthEvent(first: number, source: string): string {
  const $ = (offset: number) => `$${first + offset}`;
  return `INSERT INTO "AuthEvent" ("id", "type", "reason", "userId", "accountId", "sessionId", "clientId", "ip", "userAgent", "details", "createdAt")
    SELECT ${$(0)}::uuid, ${$(1)}, ${$(2)}, ${$(3)}::uuid, ${$(4)}::uuid, ${$(5)}::uuid, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}::jsonb, ${$(10)}::timestamp(3) FROM ${source}`;
}

export const authEventParameters = (event: AuthEvent): unknown[] => [
  event.id,
  event.type,
  event.reason,
  event.userId,
  event.accountId,
  event.sessionId,
  event.clientId,
  event.ip,
  event.userAgent,
  event.details === null ? null : JSON.stringify(event.details),
  event.createdAt,
];
