/** One message, in both forms every mail client can show. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Where mail goes: SMTP in production, the outbox table in development and tests. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
