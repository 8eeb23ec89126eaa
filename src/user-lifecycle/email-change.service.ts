import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { isUniqueViolation } from '../database/unique-violation';
import { EmailTokenPurpose } from '../email/email-tokens';
import type { EmailTokens } from '../email/email-tokens';
import type { Mailer } from '../email/mailer';
import { emailChangeAddressTakenMessage, emailChangeMessage, emailChangeNoticeMessage, linkTo } from '../email/messages';
import { badUserInput, ErrorReason } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import { emailField, parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { SensitiveChangeConfirmation, SensitiveChangeCredentials } from '../passwords/sensitive-change-proof';
import { endWhatOldCredentialsProved } from '../sessions/credential-change';
import { RevocationReason } from '../sessions/revocation';
import { promoteToOwnerOfOwnAccounts } from '../users/own-account-ownership';

export interface EmailChangeOptions {
  /** Counts the sessions a credential change ends. */
  readonly metrics: Metrics;
  readonly prisma: PrismaClient;
  readonly tokens: EmailTokens;
  readonly mailer: Mailer;
  readonly confirmation: SensitiveChangeConfirmation;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  /** How long the confirmation link works (the verification link's EMAIL_VERIFICATION_TTL_SECONDS). */
  readonly ttlSeconds: number;
  /** Mails per new address and per IP, counted whether or not the address has an account. */
  readonly mailLimit: AbuseLimits['emailSend'];
}

const changeEmailSchema = z.object({ newEmail: emailField, currentPassword: z.string(), twoFactorCode: z.string().max(64, 'too long').nullish() });

/**
 * Moving a user to another address: asked with the current password while signed in, done by the link
 * mailed to the new address (which proves it), so the account never holds an address nobody proved.
 */
export class EmailChangeService {
  constructor(private readonly options: EmailChangeOptions) {}

  /**
   * Always resolves true once the password is right, whether or not the new address has an account: the
   * asker must not learn who has one. What differs (a link, or a notice to the address's owner) is decided
   * and mailed after the answer, so response time does not tell either.
   */
  async request(viewer: { userId: string; sessionId: string }, input: { newEmail: string } & SensitiveChangeCredentials, request: RequestMetadata): Promise<true> {
    const { confirmation, mailLimit, audit, logger } = this.options;
    const fields = parseInput(changeEmailSchema, input);
    const user = await confirmation.confirm(viewer, fields, 'CHANGE_EMAIL', request);
    // Tells nothing of others: it is the asker's own address.
    if (fields.newEmail === user.email) throw badUserInput('newEmail', 'That is your email address already.');
    await mailLimit.consume(fields.newEmail, request.ip);
    // No address in the row: the old one is on the user until the change, the new one is not proven yet.
    await audit.record({ type: AuthEventType.EMAIL_CHANGE_REQUESTED, userId: user.id, sessionId: viewer.sessionId, ...request });
    void this.mail(user, fields.newEmail).catch((error: unknown) => {
      logger.error({ err: error, userId: user.id }, 'could not send the email change mails');
    });
    return true;
  }

  /**
   * Switches the user to the address the link was sent to, if nobody holds it now; that address counts as
   * verified (the link proved it). Ends every session of the user and every outstanding proof: the link
   * needs no session, so its holder must not inherit the sessions of whoever holds the password, and a
   * reset link still waiting in the old mailbox must not take the account back.
   */
  async confirm(presentedToken: string, request: RequestMetadata): Promise<User> {
    const { prisma, tokens, audit, clock } = this.options;
    const token = await tokens.check(EmailTokenPurpose.CHANGE_EMAIL, parseInput(tokenField, presentedToken, 'token'));
    try {
      return await inTransaction(prisma, async (transaction) => {
        await tokens.spend(token, transaction);
        // Answers the common case plainly; a sign-up or another confirmation racing this one is decided by the
        // unique index on User.email, which lets only the first writer commit (caught below).
        const holder = await transaction.user.findUnique({ where: { email: token.email }, select: { id: true } });
        if (holder) throw addressTaken();
        const now = clock.now();
        const user = await transaction.user.update({ where: { id: token.userId }, data: { email: token.email, emailVerifiedAt: now } });
        await promoteToOwnerOfOwnAccounts(transaction, user.id);
        await endWhatOldCredentialsProved(transaction, { userId: user.id, now, reason: RevocationReason.EMAIL_CHANGED, keptSessionId: null }, this.options.metrics);
        await audit.record({ type: AuthEventType.EMAIL_CHANGED, userId: user.id, ...request }, transaction);
        return user;
      });
    } catch (error) {
      // The transaction rolled back, link included: should the address become free again, it still works until it expires.
      if (isUniqueViolation(error)) throw addressTaken();
      throw error;
    }
  }

  private async mail(user: User, newEmail: string): Promise<void> {
    const { prisma, tokens, mailer, publicUrl, ttlSeconds } = this.options;
    const holder = await prisma.user.findUnique({ where: { email: newEmail }, select: { id: true } });
    if (holder) {
      // As a new link would: otherwise an earlier link the asker holds (to a mailbox of theirs) still working
      // would tell them this address was taken.
      await tokens.withdraw(EmailTokenPurpose.CHANGE_EMAIL, user.id);
      await mailer.send(emailChangeAddressTakenMessage(newEmail));
    } else {
      const token = await tokens.issue(EmailTokenPurpose.CHANGE_EMAIL, user.id, newEmail, ttlSeconds);
      await mailer.send(emailChangeMessage(newEmail, linkTo(publicUrl, 'confirm-email-change', token), Math.round(ttlSeconds / 3600)));
    }
    await mailer.send(emailChangeNoticeMessage(user.email));
  }
}

const addressTaken = () => badUserInput('token', 'That email address now belongs to another account; nothing changed.', ErrorReason.EMAIL_TAKEN);

