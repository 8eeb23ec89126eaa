import type { AuthEvent } from '../generated/prisma/client';

// The audit row written inside a plain-SQL statement (session opening, refresh rotation), as
// AuditLog.rowFor built it: one column list for every statement that writes one.

/** How a statement numbers its parameters: database/statement-parameters.ts, which audit/ sits below. */
export interface ParameterNumbering<Input> {
  /** The next placeholder (`$n`), whose value `read` takes from the statement's input. */
  add(read: (input: Input) => unknown): string;
}

export interface AuthEventInsert {
  /** A CTE body inserting the event once per row of its source (none when the statement's gate failed). */
  readonly sql: string;
  /** The placeholders of the event's userId and accountId, for statements that use them again. */
  readonly userId: string;
  readonly accountId: string;
}

/** The event's subject columns, as SQL expressions over `source`, when only the statement itself learns them. */
export type SubjectColumns = Readonly<Record<'userId' | 'accountId' | 'sessionId' | 'clientId', string>>;

/**
 * Adds the event's fields to a statement's parameters, read from its input by `eventOf`, and returns
 * the insert that writes them once per row of `source`. With `subjectOf`, the user, account, session and
 * client come from `source`'s row instead (a refresh learns them in the statement that writes the event).
 */
export function insertAuthEvent<Input>(
  parameters: ParameterNumbering<Input>,
  eventOf: (input: Input) => AuthEvent,
  source: string,
  subjectOf?: SubjectColumns,
): AuthEventInsert {
  const field = (read: (event: AuthEvent) => unknown) => parameters.add((input) => read(eventOf(input)));
  const id = field((event) => event.id);
  const type = field((event) => event.type);
  const reason = field((event) => event.reason);
  const userId = subjectOf?.userId ?? field((event) => event.userId);
  const accountId = subjectOf?.accountId ?? field((event) => event.accountId);
  const sessionId = subjectOf?.sessionId ?? field((event) => event.sessionId);
  const clientId = subjectOf?.clientId ?? field((event) => event.clientId);
  const ip = field((event) => event.ip);
  const userAgent = field((event) => event.userAgent);
  const details = field((event) => (event.details === null ? null : JSON.stringify(event.details)));
  const createdAt = field((event) => event.createdAt);
  return {
    sql: `INSERT INTO "AuthEvent" ("id", "type", "reason", "userId", "accountId", "sessionId", "clientId", "ip", "userAgent", "details", "createdAt")
    SELECT ${id}::uuid, ${type}, ${reason}, ${userId}::uuid, ${accountId}::uuid, ${sessionId}::uuid, ${clientId}, ${ip}, ${userAgent}, ${details}::jsonb, ${createdAt}::timestamp(3) FROM ${source}`,
    userId,
    accountId,
  };
}
