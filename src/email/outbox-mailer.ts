import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { Mailer, MailMessage } from './mailer';
import { linksIn } from './messages';

export interface OutboxMailerOptions {
  /**
   * Whether the log line also carries the message's links. Links are credentials, so by default the
   * line names the recipient and subject only. Development turns this on: the outbox exists only
   * without SMTP, and a development server's log is on its developer's own screen, where the link is
   * the whole point (README, "Development mail").
   */
  readonly isLoggingLinks: boolean;
}

/**
 * Development mailer: keeps every message in the OutboxMessage table and logs that it did, so the
 * verification and reset flows work with no mail server.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly options: OutboxMailerOptions,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const stored = await this.prisma.outboxMessage.create({ data: { ...message } });
    const links = this.options.isLoggingLinks ? { links: linksIn(message.text) } : {};
    this.logger.info({ outboxMessageId: stored.id, to: message.to, subject: message.subject, ...links }, 'mail kept in the outbox (no SMTP_URL)');
  }
}
