import type { Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer';

/** Sends through the SMTP server in SMTP_URL (e.g. smtps://user:pass@smtp.example.com). */
export class SmtpMailer implements Mailer {
  private transport: Transporter | undefined;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    // nodemailer (about 2 MiB of heap) is loaded with the first message, not at start-up: an idle instance
    // has sent none. createTransport opens no connection, so nothing is checked earlier by creating it sooner.
    this.transport ??= (await import('nodemailer')).createTransport(this.smtpUrl);
    await this.transport.sendMail({ from: this.from, ...message });
  }
}
