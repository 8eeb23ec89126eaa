import type { AbuseLimits } from '../abuse/abuse-limits';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { EmailTokenPurpose } from '../email/email-tokens';
import type { EmailTokens } from '../email/email-tokens';
import type { Mailer } from '../email/mailer';
import { linkTo, verificationMessage } from '../email/messages';
import { badUserInput, ErrorReason, unauthenticated } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import { parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Logger } from '../logger';
import { promoteToOwnerOfOwnAccounts } from './own-account-ownership';

export interface EmailVerificationOptions {
  readonly prisma: PrismaClient;
  readonly tokens: EmailTokens;
  readonly mailer: Mailer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly ttlSeconds: number;
  /** Resent mails per address and per IP. */
  readonly mailLimit: AbuseLimits['emailSend'];
}

/**
 * Double opt-in. Until their email is verified a new user is only a guest of their own account;
 * verifying makes them its owner. The link is the proof, so verifying needs no session.
 */
export class EmailVerificationService {
  constructor(private readonly options: EmailVerificationOptions) {}

  /** Mails a fresh link; earlier links stop working. */
  async send(user: Pick<User, 'id' | 'email'>, request: RequestMetadata): Promise<void> {
    const { tokens, mailer, audit, publicUrl, ttlSeconds } = this.options;
    const token = await tokens.issue(EmailTokenPurpose.VERIFY_EMAIL, user.id, user.email, ttlSeconds);
    await mailer.send(verificationMessage(user.email, linkTo(publicUrl, 'verify-email', token), Math.round(ttlSeconds / 3600)));
    await audit.record({ type: AuthEventType.EMAIL_VERIFICATION_SENT, userId: user.id, ...request });
  }

  /**
   * Sign-up must not fail because mail did: the account exists either way, and the user can ask
   * for another link (resendVerification). The failure is logged for the operator.
   */
  async sendAfterSignUp(user: Pick<User, 'id' | 'email'>, request: RequestMetadata): Promise<void> {
    await this.send(user, request).catch((error: unknown) => {
      this.options.logger.error({ err: error, userId: user.id }, 'could not send the verification email');
    });
  }

  async resend(userId: string, request: RequestMetadata): Promise<boolean> {
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.emailVerifiedAt) throw badUserInput('email', 'This email address is already verified.', ErrorReason.ALREADY_VERIFIED);
    await this.options.mailLimit.consume(user.email, request.ip);
    await this.send(user, request);
    return true;
  }

  async verify(presentedToken: string, request: RequestMetadata): Promise<User> {
    const { prisma, tokens, audit, clock } = this.options;
    const token = await tokens.check(EmailTokenPurpose.VERIFY_EMAIL, parseInput(tokenField, presentedToken, 'token'));
    return inTransaction(prisma, async (transaction) => {
      await tokens.spend(token, transaction);
      const user = await transaction.user.findUniqueOrThrow({ where: { id: token.userId } });
      // A link proves the address it was sent to, not whatever the account holds today.
      if (user.email !== token.email) throw unauthenticated(ErrorReason.INVALID_TOKEN, 'This link is for another email address.');
      const verified = await transaction.user.update({
        where: { id: user.id },
        data: { emailVerifiedAt: user.emailVerifiedAt ?? clock.now() },
      });
      await promoteToOwnerOfOwnAccounts(transaction, user.id);
      await audit.record({ type: AuthEventType.EMAIL_VERIFIED, userId: user.id, ...request }, transaction);
      return verified;
    });
  }
}
