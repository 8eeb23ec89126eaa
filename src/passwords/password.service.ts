import type { AbuseLimits } from '../abuse/abuse-limits';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { EmailTokenPurpose } from '../email/email-tokens';
import type { EmailTokens } from '../email/email-tokens';
import type { Mailer } from '../email/mailer';
import { linkTo, passwordResetMessage } from '../email/messages';
import { badUserInput } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import { emailField, parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { endWhatOldCredentialsProved } from '../sessions/credential-change';
import { RevocationReason } from '../sessions/revocation';
import type { PasswordConfirmation } from './password-confirmation';
import type { PasswordHasher } from './password-hasher';
import { normalizePassword } from './password-policy';
import type { PasswordPolicy } from './password-policy';

export interface PasswordServiceOptions {
  /** Counts the sessions a credential change ends. */
  readonly metrics: Metrics;
  readonly prisma: PrismaClient;
  readonly hasher: PasswordHasher;
  readonly policy: PasswordPolicy;
  readonly tokens: EmailTokens;
  readonly mailer: Mailer;
  readonly confirmation: PasswordConfirmation;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly resetTtlSeconds: number;
  /** Reset mails per address and per IP, counted whether or not the address has an account. */
  readonly mailLimit: AbuseLimits['emailSend'];
}

/** Password recovery by email and password change, under the same policy as sign-up. */
export class PasswordService {
  constructor(private readonly options: PasswordServiceOptions) {}

  /**
   * Always resolves true: whether the address has an account is not for the asker to learn. The
   * mail goes out after the answer, so response time does not tell either.
   */
  async requestReset(email: string, request: RequestMetadata): Promise<true> {
    const address = parseInput(emailField, email, 'email');
    // Counted whether or not the address has an account: a refusal must not tell which do.
    await this.options.mailLimit.consume(address, request.ip);
    const user = await this.options.prisma.user.findUnique({ where: { email: address } });
    await this.options.audit.record({ type: AuthEventType.PASSWORD_RESET_REQUESTED, reason: user ? null : 'UNKNOWN_EMAIL', userId: user?.id ?? null, ...request });
    if (user) {
      void this.sendResetLink(user).catch((error: unknown) => {
        this.options.logger.error({ err: error, userId: user.id }, 'could not send the password reset email');
      });
    }
    return true;
  }

  /**
   * Sets the new password, burns the link and ends every session of the user and every proof still
   * outstanding (credential-change.ts), in one transaction. A second factor stays on: the mailbox alone
   * must not be enough to take an account whose owner turned it on (recovery codes are for a lost phone).
   */
  async resetPassword(presentedToken: string, newPassword: string, request: RequestMetadata): Promise<true> {
    const { prisma, tokens, audit, clock } = this.options;
    const token = await tokens.check(EmailTokenPurpose.RESET_PASSWORD, parseInput(tokenField, presentedToken, 'token'));
    const user = await prisma.user.findUniqueOrThrow({ where: { id: token.userId } });
    // Checked before the link is spent: a refused password can be corrected with the same link.
    const passwordHash = await this.hashAcceptable(newPassword, user, 'newPassword');
    await inTransaction(prisma, async (transaction) => {
      await tokens.spend(token, transaction);
      await transaction.user.update({ where: { id: user.id }, data: { passwordHash } });
      await endWhatOldCredentialsProved(transaction, { userId: user.id, now: clock.now(), reason: RevocationReason.PASSWORD_RESET, keptSessionId: null }, this.options.metrics);
      await audit.record({ type: AuthEventType.PASSWORD_RESET, userId: user.id, ...request }, transaction);
    });
    return true;
  }

  /**
   * Needs the current password (a fresh check, limited like a login); ends the user's other sessions and
   * every proof still outstanding (credential-change.ts).
   */
  async changePassword(
    viewer: { userId: string; sessionId: string },
    currentPassword: string,
    newPassword: string,
    request: RequestMetadata,
  ): Promise<true> {
    const { prisma, confirmation, audit, clock } = this.options;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: viewer.userId } });
    await confirmation.confirm(user, currentPassword, { sessionId: viewer.sessionId, purpose: 'CHANGE_PASSWORD' }, request);
    if (normalizePassword(newPassword) === normalizePassword(currentPassword)) {
      throw badUserInput('newPassword', 'The new password must differ from the current one.');
    }
    const passwordHash = await this.hashAcceptable(newPassword, user, 'newPassword');
    await inTransaction(prisma, async (transaction) => {
      await transaction.user.update({ where: { id: user.id }, data: { passwordHash } });
      await endWhatOldCredentialsProved(transaction, { userId: user.id, now: clock.now(), reason: RevocationReason.PASSWORD_CHANGED, keptSessionId: viewer.sessionId }, this.options.metrics);
      await audit.record({ type: AuthEventType.PASSWORD_CHANGED, userId: user.id, sessionId: viewer.sessionId, ...request }, transaction);
    });
    return true;
  }

  private async sendResetLink(user: User): Promise<void> {
    const { tokens, mailer, publicUrl, resetTtlSeconds } = this.options;
    const token = await tokens.issue(EmailTokenPurpose.RESET_PASSWORD, user.id, user.email, resetTtlSeconds);
    await mailer.send(passwordResetMessage(user.email, linkTo(publicUrl, 'reset-password', token), Math.round(resetTtlSeconds / 60)));
  }

  private async hashAcceptable(password: string, user: User, field: string): Promise<string> {
    const userInputs = [user.email, user.email.split('@')[0] ?? '', user.username ?? ''].filter(Boolean);
    return this.options.hasher.hash(await this.options.policy.check(password, userInputs, field));
  }
}
