import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../clock';
import type { AuthEvent, Prisma, PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { AuthEventInput } from './auth-event';

type Writer = Pick<PrismaClient, 'authEvent'> | Prisma.TransactionClient;

/**
 * Writes security events to the AuthEvent table (and the log). Inside a transaction, pass it as
 * `writer`, so the event commits or rolls back with what it describes.
 */
export class AuditLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async record(event: AuthEventInput, writer: Writer = this.prisma): Promise<void> {
    const { details, ...row } = this.rowFor(event);
    await writer.authEvent.create({ data: { ...row, ...(details === null ? {} : { details }) } });
    this.written(event);
  }

  /**
   * The AuthEvent row for `event`, id (a UUIDv7, as Prisma makes them) and time included, for a plain-SQL
   * statement that writes it together with what it describes (database/hot-path-sql.ts). Call `written` once it is.
   */
  rowFor(event: AuthEventInput): AuthEvent {
    return {
      id: uuidv7(),
      type: event.type,
      reason: event.reason ?? null,
      userId: event.userId ?? null,
      accountId: event.accountId ?? null,
      sessionId: event.sessionId ?? null,
      clientId: event.clientId ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      details: event.details ?? null,
      createdAt: this.clock.now(),
    };
  }

  /** Logs an event whose row was written. */
  written(event: AuthEventInput): void {
    // "LOGIN_FAILED" logs as "login failed": one grep-able message per kind of event.
    this.logger.info(
      { event: event.type, reason: event.reason ?? null, userId: event.userId ?? null, accountId: event.accountId ?? null, ip: event.ip ?? null },
      event.type.toLowerCase().replaceAll('_', ' '),
    );
  }
}
