import type { AbuseLimits } from '../abuse/abuse-limits';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { inTransaction } from '../database/transaction';
import { badUserInput, ErrorReason, unauthenticated } from '../errors';
import type { Prisma, PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import { RejectedCode } from './second-factor-codes';
import type { SecondFactorCodes } from './second-factor-codes';

/** Who is acting on their own second factor: a signed-in user, or (at login) a user with no session yet. */
export interface TwoFactorActor {
  readonly userId: string;
  readonly sessionId: string | null;
}

/**
 * When a code was asked for: enrolment (CONFIRM), turning 2FA off (DISABLE), a login's challenge (LOGIN),
 * or a sensitive change such as deleting an account (SENSITIVE_CHANGE).
 */
export type CodeCheckpoint = 'CONFIRM' | 'DISABLE' | 'LOGIN' | 'SENSITIVE_CHANGE';

export interface SecondFactorProofOptions {
  readonly prisma: PrismaClient;
  readonly audit: AuditLog;
  readonly codes: SecondFactorCodes;
  /** Guessing codes is limited per user: a few wrong ones, then a lock (see abuse/abuse-limits.ts). */
  readonly attempts: AbuseLimits['twoFactor'];
}

/**
 * The one place a user's TOTP or recovery code is accepted or refused, for enrolment and for login alike:
 * the per-user attempt lock, spending the code once, and the audit trail of both outcomes.
 */
export class SecondFactorProof {
  constructor(private readonly options: SecondFactorProofOptions) {}

  /**
   * Spends the code and runs `then` in the same transaction; a code that is wrong or already spent
   * rolls everything back, is recorded, and is refused (UNAUTHENTICATED at login, where there is no
   * session yet; BAD_USER_INPUT for a signed-in user, whose session is fine).
   */
  async spendOrRefuse(
    user: User,
    code: string,
    actor: TwoFactorActor,
    during: Exclude<CodeCheckpoint, 'CONFIRM'>,
    request: RequestMetadata,
    then: (transaction: Prisma.TransactionClient) => Promise<void>,
  ): Promise<void> {
    await this.options.attempts.check(user.id);
    try {
      const factor = await this.options.codes.identify(user, code);
      if (factor === null) throw new RejectedCode();
      await inTransaction(this.options.prisma, async (transaction) => {
        // Spent first: it is conditional on the secret the code was checked against, which `then` may clear.
        await this.options.codes.spend(transaction, user, factor);
        if (factor.kind === 'recovery') await this.recordRecoveryCodeUse(transaction, actor, request);
        await then(transaction);
      });
      await this.options.attempts.reset(user.id);
    } catch (error) {
      if (!(error instanceof RejectedCode)) throw error;
      await this.recordFailure(actor, during, request);
      throw during === 'LOGIN'
        ? unauthenticated(ErrorReason.INVALID_TWO_FACTOR_CODE, 'The code is wrong or was already used.')
        : wrongCodeInput();
    }
  }

  /** Records a wrong code and counts it against the user; the failure that locks them is recorded as LOCKED_OUT. */
  async recordFailure(actor: TwoFactorActor, during: CodeCheckpoint, request: RequestMetadata): Promise<void> {
    await this.options.audit.record({
      type: AuthEventType.TWO_FACTOR_FAILED,
      reason: 'WRONG_CODE',
      ...actorOf(actor),
      details: { during },
      ...request,
    });
    const outcome = await this.options.attempts.fail(actor.userId);
    if (outcome.isLocked) {
      await this.options.audit.record({ type: AuthEventType.LOCKED_OUT, reason: 'TWO_FACTOR', ...actorOf(actor), ...request });
    }
  }

  private async recordRecoveryCodeUse(transaction: Prisma.TransactionClient, actor: TwoFactorActor, request: RequestMetadata): Promise<void> {
    const remaining = await transaction.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } });
    await this.options.audit.record({ type: AuthEventType.RECOVERY_CODE_USED, ...actorOf(actor), details: { remaining }, ...request }, transaction);
  }
}

/** Only who acted goes into the audit log, whatever else the caller's actor object carries. */
export const actorOf = (actor: TwoFactorActor) => ({ userId: actor.userId, sessionId: actor.sessionId });

export const wrongCodeInput = () => badUserInput('code', 'The code is wrong or was already used.', ErrorReason.INVALID_TWO_FACTOR_CODE);
