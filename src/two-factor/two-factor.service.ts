import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import { twoFactorRequired } from '../accounts/two-factor-policy';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { badUserInput, ErrorReason } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Metrics } from '../metrics/metrics';
import type { PasswordConfirmation } from '../passwords/password-confirmation';
import { endWhatOldCredentialsProved } from '../sessions/credential-change';
import { RevocationReason } from '../sessions/revocation';
import type { SecondFactorCodes } from './second-factor-codes';
import { actorOf, wrongCodeInput } from './second-factor-proof';
import type { SecondFactorProof } from './second-factor-proof';
import { generateTotpSecret, totpUrl } from './totp';
import type { TwoFactorRequirementService } from './two-factor-requirement.service';

export interface TotpSetup {
  readonly secret: string;
  readonly otpauthUrl: string;
}

/** A signed-in user changing their own second factor. */
export interface SignedInActor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface TwoFactorServiceOptions {
  /** Counts the sessions a credential change ends. */
  readonly metrics: Metrics;
  readonly prisma: PrismaClient;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly codes: SecondFactorCodes;
  readonly proof: SecondFactorProof;
  readonly requirements: TwoFactorRequirementService;
  /** Turning 2FA on needs the current password: a stolen access token must not bind the account to someone else's phone. */
  readonly passwordConfirmation: PasswordConfirmation;
  /** Guessing codes is limited per user: a few wrong ones, then a lock (see abuse/abuse-limits.ts). */
  readonly attempts: AbuseLimits['twoFactor'];
  /** Shown by authenticator apps next to the code. */
  readonly issuer: string;
}

const codeField = z.string().max(64, 'too long');

/** Enrolment in TOTP (RFC 6238): turning it on and off. A login's challenge is auth/second-factor-challenges.ts. */
export class TwoFactorService {
  constructor(private readonly options: TwoFactorServiceOptions) {}

  /**
   * A new secret, pending until confirmTotp proves the authenticator app has it. Needs the current
   * password in the same request: whoever can start enrolment decides which phone the account trusts.
   */
  async beginSetup(actor: SignedInActor, currentPassword: string, request: RequestMetadata): Promise<TotpSetup> {
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    if (user.totpEnabledAt !== null) throw alreadyEnabled();
    await this.options.passwordConfirmation.confirm(user, currentPassword, { sessionId: actor.sessionId, purpose: 'ENABLE_TWO_FACTOR' }, request);
    const secret = generateTotpSecret();
    const { count } = await this.options.prisma.user.updateMany({
      where: { id: user.id, totpEnabledAt: null },
      data: { totpPendingSecret: this.options.codes.sealSecret(user.id, secret) },
    });
    if (count === 0) throw alreadyEnabled();
    return { secret, otpauthUrl: totpUrl(secret, this.options.issuer, user.email) };
  }

  /**
   * Turns 2FA on with the pending secret; returns fresh recovery codes, shown this once. The user's other
   * sessions and every outstanding proof end with it (credential-change.ts): whoever signed in with the
   * password alone must now give the second factor too.
   */
  async confirmSetup(actor: SignedInActor, code: string, request: RequestMetadata): Promise<string[]> {
    const presented = parseInput(codeField, code, 'code');
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    if (user.totpEnabledAt !== null) throw alreadyEnabled();
    const pendingSecret = user.totpPendingSecret;
    if (pendingSecret === null) throw badUserInput('code', 'Call enableTotp first.', ErrorReason.TWO_FACTOR_NOT_ENABLED);
    await this.options.attempts.check(user.id);
    const step = await this.options.codes.matchStep(user.id, pendingSecret, presented);
    if (step === null) {
      await this.options.proof.recordFailure(actor, 'CONFIRM', request);
      throw wrongCodeInput();
    }
    await this.options.attempts.reset(user.id);
    const now = this.options.clock.now();
    const recovery = this.options.codes.issueRecoveryCodes(user.id, now);
    await inTransaction(this.options.prisma, async (transaction) => {
      // Conditional on the pending secret read above: of a concurrent enableTotp or confirmTotp, one wins.
      const { count } = await transaction.user.updateMany({
        where: { id: user.id, totpEnabledAt: null, totpPendingSecret: pendingSecret },
        // The confirming code's step counts as used, so it cannot log in as well.
        data: { totpSecret: pendingSecret, totpPendingSecret: null, totpEnabledAt: now, totpLastStep: step },
      });
      if (count === 0) {
        throw badUserInput('code', 'The setup changed meanwhile; call enableTotp again.', ErrorReason.TWO_FACTOR_NOT_ENABLED);
      }
      await transaction.recoveryCode.deleteMany({ where: { userId: user.id } });
      await transaction.recoveryCode.createMany({ data: recovery.rows });
      await endWhatOldCredentialsProved(transaction, { userId: user.id, now, reason: RevocationReason.TWO_FACTOR_CHANGED, keptSessionId: actor.sessionId }, this.options.metrics);
      await this.options.audit.record({ type: AuthEventType.TWO_FACTOR_ENABLED, ...actorOf(actor), ...request }, transaction);
    });
    return recovery.codes;
  }

  /**
   * Turns 2FA off, given a current code or a recovery code (the fresh proof); the recovery codes go with
   * it, and so do the user's other sessions and every outstanding proof (credential-change.ts).
   */
  async disable(actor: SignedInActor, code: string, request: RequestMetadata): Promise<boolean> {
    const presented = parseInput(codeField, code, 'code');
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    if (user.totpSecret === null) throw badUserInput('code', 'Two-factor authentication is not on.', ErrorReason.TWO_FACTOR_NOT_ENABLED);
    // They would shut themself out of that account at their next refresh (and an only owner, everyone).
    if (await this.options.requirements.isRequiredOf(user.id)) {
      throw twoFactorRequired('An account you own or administer requires two-factor authentication.');
    }
    await this.options.proof.spendOrRefuse(user, presented, actor, 'DISABLE', request, async (transaction) => {
      await transaction.user.update({
        where: { id: user.id },
        data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
      });
      await transaction.recoveryCode.deleteMany({ where: { userId: user.id } });
      await endWhatOldCredentialsProved(transaction, {
        userId: user.id,
        now: this.options.clock.now(),
        reason: RevocationReason.TWO_FACTOR_CHANGED,
        keptSessionId: actor.sessionId,
      }, this.options.metrics);
      await this.options.audit.record({ type: AuthEventType.TWO_FACTOR_DISABLED, ...actorOf(actor), ...request }, transaction);
    });
    return true;
  }
}

const alreadyEnabled = () => badUserInput('totp', 'Two-factor authentication is already on.', ErrorReason.TWO_FACTOR_ALREADY_ENABLED);
