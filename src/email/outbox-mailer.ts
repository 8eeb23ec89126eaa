import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { Mailer, MailMessage } from './mailer';

/**
 * Development mailer: keeps every message in the OutboxMessage table and logs that it did, so the
 * verification and reset flows work with no mail server. The log line names the recipient and
 * subject only: links in the body are credentials.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const stored = await this.prisma.outboxMessage.create({ data: { ...message } });
    this.logger.info({ outboxMessageId: stored.id, to: message.to, subject: message.subject }, 'mail kept in the outbox (no SMTP_URL)');
  }
}
