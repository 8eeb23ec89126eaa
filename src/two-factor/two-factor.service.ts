import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { badUserInput, ErrorReason, unauthenticated } from '../errors';
import type { Prisma, PrismaClient, User } from '../generated/prisma/client';
import type { AbuseLimits } from '../abuse/abuse-limits';
import type { RequestMetadata } from '../http/request-metadata';
import { parseInput, tokenField } from '../graphql/input-validation';
import type { PasswordConfirmation } from '../passwords/password-confirmation';
import { endWhatOldCredentialsProved } from '../sessions/credential-change';
import { RevocationReason } from '../sessions/revocation';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import { RejectedCode } from './second-factor-codes';
import type { SecondFactorCodes } from './second-factor-codes';
import { generateTotpSecret, totpUrl } from './totp';
import { twoFactorRequired } from '../accounts/two-factor-policy';
import type { TwoFactorRequirementService } from './two-factor-requirement.service';
import { TRANSACTION_OPTIONS } from '../database/open-database';

export interface TotpSetup {
  readonly secret: string;
  readonly otpauthUrl: string;
}

/** What login answers instead of a session while the second factor is outstanding. */
export interface TwoFactorChallenge {
  readonly challengeToken: string;
  readonly expiresAt: Date;
}

export interface ChallengeStart {
  readonly userId: string;
  /** The account already chosen, or null to choose once the second factor is in. */
  readonly accountId: string | null;
  readonly clientId: string | null;
  readonly request: RequestMetadata;
}

/** A challenge whose second factor was given: the login continues from here. */
export interface PassedChallenge {
  readonly id: string;
  readonly userId: string;
  readonly accountId: string | null;
  readonly clientId: string | null;
}

/** Who is acting on their own second factor: a signed-in user, or (at login) a user with no session yet. */
export interface TwoFactorActor {
  readonly userId: string;
  readonly sessionId: string | null;
}

/** A signed-in user changing their own second factor. */
export interface SignedInActor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface TwoFactorServiceOptions {
  readonly prisma: PrismaClient;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly codes: SecondFactorCodes;
  readonly requirements: TwoFactorRequirementService;
  /** Turning 2FA on needs the current password: a stolen access token must not bind the account to someone else's phone. */
  readonly passwordConfirmation: PasswordConfirmation;
  /** Guessing codes is limited per user: a few wrong ones, then a lock (see abuse/abuse-limits.ts). */
  readonly attempts: AbuseLimits['twoFactor'];
  readonly challengeTtlSeconds: number;
  /** Shown by authenticator apps next to the code. */
  readonly issuer: string;
}

type Writer = PrismaClient | Prisma.TransactionClient;

const codeField = z.string().max(64, 'too long');

/** A user's TOTP second factor (RFC 6238): turning it on and off, and the login challenges it adds. */
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
      await this.recordFailure(actor, 'CONFIRM', request);
      throw wrongCodeInput();
    }
    await this.options.attempts.reset(user.id);
    const now = this.options.clock.now();
    const recovery = this.options.codes.issueRecoveryCodes(user.id, now);
    await this.options.prisma.$transaction(async (transaction) => {
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
      await endWhatOldCredentialsProved(transaction, { userId: user.id, now, reason: RevocationReason.TWO_FACTOR_CHANGED, keptSessionId: actor.sessionId });
      await this.options.audit.record({ type: AuthEventType.TWO_FACTOR_ENABLED, ...actorOf(actor), ...request }, transaction);
    }, TRANSACTION_OPTIONS);
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
    await this.spendOrRefuse(user, presented, actor, 'DISABLE', request, async (transaction) => {
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
      });
      await this.options.audit.record({ type: AuthEventType.TWO_FACTOR_DISABLED, ...actorOf(actor), ...request }, transaction);
    });
    return true;
  }

  /** Records a login that passed the password step and owes the second factor; `writer` may be the caller's transaction. */
  async startChallenge(writer: Writer, start: ChallengeStart): Promise<TwoFactorChallenge> {
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.challenge);
    const expiresAt = addSeconds(now, this.options.challengeTtlSeconds);
    await writer.loginChallenge.create({
      data: {
        id: token.id,
        userId: start.userId,
        secretHash: hashSecret(token.secret),
        accountId: start.accountId,
        clientId: start.clientId,
        userAgent: start.request.userAgent,
        ip: start.request.ip,
        createdAt: now,
        expiresAt,
      },
    });
    return { challengeToken: token.token, expiresAt };
  }

  /**
   * Whether a pending account selection still owes the second factor. A selection issued after a
   * passed challenge carries that challenge's id (see LoginService); any other selection of a user
   * with 2FA on was issued on the password alone, before 2FA was turned on.
   */
  async isSecondFactorOutstanding(writer: Writer, user: User, selectionId: string): Promise<boolean> {
    if (user.totpEnabledAt === null) return false;
    const challenge = await writer.loginChallenge.findUnique({ where: { id: selectionId }, select: { userId: true, consumedAt: true } });
    return !(challenge?.userId === user.id && challenge.consumedAt !== null);
  }

  /**
   * The one place a login's second factor is checked: the challenge must be genuine, live and
   * unused, the code good once (see SecondFactorCodes). Challenge and code are spent in one
   * transaction: a wrong or replayed code leaves the challenge for another try, and of two racing
   * requests only one succeeds.
   */
  async verifyChallenge(challengeToken: string, code: string, request: RequestMetadata): Promise<PassedChallenge> {
    const presented = parseInput(codeField, code, 'code');
    const challenge = await this.findLiveChallenge(parseInput(tokenField, challengeToken, 'challengeToken'));
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: challenge.userId } });
    // Turned off since the password step: the challenge no longer describes this user's login.
    if (user.totpSecret === null) throw invalidChallenge();
    await this.spendOrRefuse(user, presented, { userId: user.id, sessionId: null }, 'LOGIN', request, async (transaction) => {
      const consumed = await transaction.loginChallenge.updateMany({
        where: { id: challenge.id, consumedAt: null },
        data: { consumedAt: this.options.clock.now() },
      });
      if (consumed.count === 0) throw invalidChallenge();
    });
    return {
      id: challenge.id,
      userId: user.id,
      accountId: challenge.accountId,
      clientId: challenge.clientId,
    };
  }

  /**
   * Spends the code and runs `then` in the same transaction; a code that is wrong or already spent
   * rolls everything back, is recorded, and is refused (UNAUTHENTICATED at login, where there is no
   * session yet; BAD_USER_INPUT for a signed-in user, whose session is fine).
   */
  private async spendOrRefuse(
    user: User,
    code: string,
    actor: TwoFactorActor,
    during: 'DISABLE' | 'LOGIN',
    request: RequestMetadata,
    then: (transaction: Prisma.TransactionClient) => Promise<void>,
  ): Promise<void> {
    await this.options.attempts.check(user.id);
    try {
      const factor = await this.options.codes.identify(user, code);
      if (factor === null) throw new RejectedCode();
      await this.options.prisma.$transaction(async (transaction) => {
        // Spent first: it is conditional on the secret the code was checked against, which `then` may clear.
        await this.options.codes.spend(transaction, user, factor);
        if (factor.kind === 'recovery') await this.recordRecoveryCodeUse(transaction, actor, request);
        await then(transaction);
      }, TRANSACTION_OPTIONS);
      await this.options.attempts.reset(user.id);
    } catch (error) {
      if (!(error instanceof RejectedCode)) throw error;
      await this.recordFailure(actor, during, request);
      throw during === 'LOGIN'
        ? unauthenticated(ErrorReason.INVALID_TWO_FACTOR_CODE, 'The code is wrong or was already used.')
        : wrongCodeInput();
    }
  }

  private async recordRecoveryCodeUse(transaction: Prisma.TransactionClient, actor: TwoFactorActor, request: RequestMetadata): Promise<void> {
    const remaining = await transaction.recoveryCode.count({ where: { userId: actor.userId, usedAt: null } });
    await this.options.audit.record({ type: AuthEventType.RECOVERY_CODE_USED, ...actorOf(actor), details: { remaining }, ...request }, transaction);
  }

  private async findLiveChallenge(challengeToken: string) {
    const presented = parseOpaqueToken(TokenPrefix.challenge, challengeToken);
    if (!presented) throw invalidChallenge();
    const challenge = await this.options.prisma.loginChallenge.findUnique({ where: { id: presented.id } });
    if (!challenge || !secretMatches(presented.secret, challenge.secretHash) || challenge.consumedAt) throw invalidChallenge();
    if (challenge.expiresAt <= this.options.clock.now()) {
      throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The challenge has expired; log in again.');
    }
    return challenge;
  }

  /** Records a wrong code and counts it against the user; the failure that locks them is recorded as LOCKED_OUT. */
  private async recordFailure(actor: TwoFactorActor, during: 'CONFIRM' | 'DISABLE' | 'LOGIN', request: RequestMetadata): Promise<void> {
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
}

/** Only who acted goes into the audit log, whatever else the caller's actor object carries. */
const actorOf = (actor: TwoFactorActor) => ({ userId: actor.userId, sessionId: actor.sessionId });

const alreadyEnabled = () => badUserInput('totp', 'Two-factor authentication is already on.', ErrorReason.TWO_FACTOR_ALREADY_ENABLED);
const wrongCodeInput = () => badUserInput('code', 'The code is wrong or was already used.', ErrorReason.INVALID_TWO_FACTOR_CODE);
const invalidChallenge = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The challenge token is invalid or already used.');
