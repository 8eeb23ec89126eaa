import type { AbuseLimits } from '../abuse/abuse-limits';
import { isRateLimited } from '../abuse/rate-limited-error';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { AuthEventInput } from '../audit/auth-event';
import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { badUserInput, ErrorReason, forbidden, invalidCredentials, unauthenticated } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { Account, Membership, PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../http/request-metadata';
import {
  clientIdField,
  displayNameField,
  emailField,
  idField,
  parseInput,
  tokenField,
  usernameField,
  usernameKey,
} from '../input-validation';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { EmailVerificationService } from '../users/email-verification.service';
import { checkPasswordPolicy, normalizePassword } from '../passwords/password-policy';
import type { PasswordPolicyOptions } from '../passwords/password-policy';
import type { SessionGrant, SessionService } from '../sessions/session.service';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import type { TwoFactorChallenge, TwoFactorService } from '../two-factor/two-factor.service';

export interface AccountChoice {
  readonly selectionToken: string;
  readonly expiresAt: Date;
  readonly accounts: readonly { id: string; name: string; role: string }[];
  readonly lastAccountId: string | null;
}

export type LoginOutcome = SessionGrant | AccountChoice | TwoFactorChallenge;

export interface AuthServiceOptions {
  readonly prisma: PrismaClient;
  readonly sessions: SessionService;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicyOptions;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly limits: AbuseLimits;
  readonly emailVerification: EmailVerificationService;
  readonly twoFactor: TwoFactorService;
  readonly selectionTokenTtlSeconds: number;
}

const signUpSchema = z.object({
  email: emailField,
  username: usernameField.nullish(),
  accountName: displayNameField.nullish(),
  clientId: clientIdField.nullish(),
});

const loginSchema = z.object({
  email: emailField.nullish(),
  username: usernameField.nullish(),
  clientId: clientIdField.nullish(),
  accountId: idField.nullish(),
});

const selectAccountSchema = z.object({ selectionToken: tokenField, accountId: idField });

const DEFAULT_ACCOUNT_NAME = 'Personal';
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

type MembershipWithAccount = Membership & { account: Account };

/** Sign-up, password login and the account-selection step. */
export class AuthService {
  constructor(private readonly options: AuthServiceOptions) {}

  async signUp(
    input: { email: string; password: string; username?: string | null; accountName?: string | null; clientId?: string | null },
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const fields = parseInput(signUpSchema, input);
    const userInputs = [fields.email, fields.email.split('@')[0] ?? '', fields.username ?? ''].filter(Boolean);
    const password = checkPasswordPolicy(input.password, this.options.passwordPolicy, userInputs);
    // Per client IP, before any hashing: sign-up is where accounts are farmed and taken emails probed.
    await this.options.limits.signUp.consume(request.ip);
    // Hash before looking for a taken email: both answers then cost the same time.
    const passwordHash = await this.options.hasher.hash(password);
    let grant: SessionGrant;
    try {
      grant = await this.options.prisma.$transaction(async (transaction) => {
        const user = await transaction.user.create({
          data: {
            email: fields.email,
            username: fields.username ?? null,
            usernameKey: fields.username ? usernameKey(fields.username) : null,
            passwordHash,
            createdAt: this.options.clock.now(),
          },
        });
        // A guest of their own account until the email is verified (verification makes them owner).
        const account = await transaction.account.create({
          data: {
            name: fields.accountName ?? DEFAULT_ACCOUNT_NAME,
            createdAt: this.options.clock.now(),
            createdByUserId: user.id,
            memberships: { create: { userId: user.id, roleName: BuiltInRole.guest } },
          },
        });
        return this.options.sessions.start(transaction, {
          user,
          account,
          role: BuiltInRole.guest,
          clientId: fields.clientId ?? null,
          request,
          isLogin: true,
          event: AuthEventType.SIGN_UP,
        });
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      throw takenIdentifierError(error) ?? error;
    }
    await this.options.emailVerification.sendAfterSignUp(grant.user, request);
    return grant;
  }

  /**
   * Password login. Unknown users cost one argon2 verification like known ones and get the same
   * error, so neither the answer nor its timing tells whether an email is registered.
   */
  async login(
    input: { email?: string | null; username?: string | null; password: string; clientId?: string | null; accountId?: string | null },
    request: RequestMetadata,
  ): Promise<LoginOutcome> {
    const fields = parseInput(loginSchema, input);
    if (Boolean(fields.email) === Boolean(fields.username)) {
      throw badUserInput('email', 'Give exactly one of email and username.');
    }
    // Bounded before hashing: a megabyte password must not buy a megabyte of argon2 input.
    if (input.password.length > this.options.passwordPolicy.maxLength * 2) {
      throw badUserInput('password', `The password must be at most ${this.options.passwordPolicy.maxLength} characters long.`);
    }
    const password = normalizePassword(input.password);
    const user = await this.options.prisma.user.findUnique({
      where: fields.email ? { email: fields.email } : { usernameKey: usernameKey(fields.username ?? '') },
    });
    // Keyed by what was typed, whether or not a user has it: a lock must not tell which accounts exist.
    const attemptKey = fields.email ? `email:${fields.email}` : `username:${usernameKey(fields.username ?? '')}`;
    const attempt = { userId: user?.id ?? null, clientId: fields.clientId ?? null, ...request };
    // Before any argon2 work: a locked or backed-off login costs nothing.
    await this.checkLoginLimits(attemptKey, attempt);
    const isValid = await (user ? this.options.hasher.verify(user.passwordHash, password) : this.options.hasher.verifyNothing(password)).catch(
      async (error: unknown) => {
        // Refused before hashing (server busy): no password was tried, so the attempt does not count.
        await this.options.limits.login.release(attemptKey, request.ip);
        throw error;
      },
    );
    if (!user || !isValid) {
      const { isLocked, blockSeconds } = await this.options.limits.login.fail(attemptKey);
      if (isLocked) await this.options.audit.record({ ...attempt, type: AuthEventType.LOCKED_OUT, details: { lockSeconds: blockSeconds } });
      await this.options.audit.record({
        type: AuthEventType.LOGIN_FAILED,
        reason: user ? 'WRONG_PASSWORD' : 'UNKNOWN_USER',
        userId: user?.id ?? null,
        clientId: fields.clientId ?? null,
        ...request,
      });
      throw invalidCredentials();
    }
    await this.options.limits.login.reset(attemptKey, request.ip);

    return this.continueLogin(user, fields.accountId ?? null, fields.clientId ?? null, request, null);
  }

  async selectAccount(input: { selectionToken: string; accountId: string }): Promise<LoginOutcome> {
    const fields = parseInput(selectAccountSchema, input);
    const selection = await this.findPendingSelection(fields.selectionToken);
    const memberships = await this.membershipsOf(selection.userId);
    const chosen = memberships.find((membership) => membership.accountId === fields.accountId);
    // Checked before the token is spent, so a wrong pick can be corrected with the same token.
    if (!chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    const { prisma, sessions, clock } = this.options;
    return prisma.$transaction(async (transaction) => {
      const consumed = await transaction.accountSelection.updateMany({
        where: { id: selection.id, consumedAt: null },
        data: { consumedAt: clock.now() },
      });
      if (consumed.count === 0) throw invalidSelectionToken();
      const user = await transaction.user.findUniqueOrThrow({ where: { id: selection.userId } });
      const request = { ip: selection.ip, userAgent: selection.userAgent };
      // A selection issued on the password alone (2FA was turned on after it) still owes the second factor.
      if (await this.options.twoFactor.isSecondFactorOutstanding(transaction, user, selection.id)) {
        return this.options.twoFactor.startChallenge(transaction, { userId: user.id, accountId: chosen.accountId, clientId: selection.clientId, request });
      }
      return sessions.start(transaction, {
        user,
        account: chosen.account,
        role: chosen.roleName,
        clientId: selection.clientId,
        request,
        isLogin: true,
        event: AuthEventType.ACCOUNT_SELECTED,
      });
    }, TRANSACTION_OPTIONS);
  }

  /** Completes a login that answered TwoFactorRequired, then goes on exactly as that login would have. */
  async verifyTwoFactor(input: { challengeToken: string; code: string }, request: RequestMetadata): Promise<LoginOutcome> {
    const passed = await this.options.twoFactor.verifyChallenge(input.challengeToken, input.code, request);
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: passed.userId } });
    return this.continueLogin(user, passed.accountId, passed.clientId, passed.request, passed.id);
  }

  /** The account list of a pending selection again, for a separate selection page. */
  async loginAccounts(selectionToken: string): Promise<AccountChoice> {
    const selection = await this.findPendingSelection(parseInput(tokenField, selectionToken, 'selectionToken'));
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: selection.userId } });
    return this.describeChoice(selectionToken, selection.expiresAt, user, await this.membershipsOf(user.id));
  }

  /**
   * After the password: into the named or only account, or the account choice. With 2FA on, the
   * second factor comes first, so the account list is never shown to someone who has only the
   * password; `passedChallengeId` is the challenge it was given for.
   */
  private async continueLogin(
    user: User,
    accountId: string | null,
    clientId: string | null,
    request: RequestMetadata,
    passedChallengeId: string | null,
  ): Promise<LoginOutcome> {
    const memberships = await this.membershipsOf(user.id);
    if (memberships.length === 0) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of any account.');
    const chosen = accountId
      ? memberships.find((membership) => membership.accountId === accountId)
      : memberships.length === 1
        ? memberships[0]
        : undefined;
    if (accountId && !chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    if (user.totpEnabledAt !== null && passedChallengeId === null) {
      return this.options.twoFactor.startChallenge(this.options.prisma, { userId: user.id, accountId: chosen?.accountId ?? null, clientId, request });
    }
    if (chosen) return this.startSession(user, chosen, clientId, request);
    // The selection takes the passed challenge's id: that is how selectAccount knows the second factor was given.
    return this.offerAccountChoice(user, memberships, clientId, request, passedChallengeId ?? undefined);
  }

  /** Counts a login attempt, or refuses it (RATE_LIMITED) and records the refusal. */
  private async checkLoginLimits(attemptKey: string, attempt: Omit<AuthEventInput, 'type'>): Promise<void> {
    try {
      await this.options.limits.login.check(attemptKey, attempt.ip ?? null);
    } catch (error) {
      if (isRateLimited(error)) {
        await this.options.audit.record({ ...attempt, type: AuthEventType.LOGIN_FAILED, reason: ErrorReason.RATE_LIMITED });
      }
      throw error;
    }
  }

  private async startSession(user: User, membership: MembershipWithAccount, clientId: string | null, request: RequestMetadata): Promise<SessionGrant> {
    return this.options.prisma.$transaction(
      (transaction) =>
        this.options.sessions.start(transaction, {
          user,
          account: membership.account,
          role: membership.roleName,
          clientId,
          request,
          isLogin: true,
          event: AuthEventType.LOGIN_SUCCEEDED,
        }),
      TRANSACTION_OPTIONS,
    );
  }

  private async offerAccountChoice(
    user: User,
    memberships: readonly MembershipWithAccount[],
    clientId: string | null,
    request: RequestMetadata,
    selectionId?: string,
  ): Promise<AccountChoice> {
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.selection, selectionId);
    const expiresAt = addSeconds(now, this.options.selectionTokenTtlSeconds);
    await this.options.prisma.accountSelection.create({
      data: {
        id: token.id,
        userId: user.id,
        secretHash: hashSecret(token.secret),
        clientId,
        userAgent: request.userAgent,
        ip: request.ip,
        createdAt: now,
        expiresAt,
      },
    });
    return this.describeChoice(token.token, expiresAt, user, memberships);
  }

  private describeChoice(selectionToken: string, expiresAt: Date, user: User, memberships: readonly MembershipWithAccount[]): AccountChoice {
    const isStillMember = memberships.some((membership) => membership.accountId === user.lastAccountId);
    return {
      selectionToken,
      expiresAt,
      accounts: memberships.map((membership) => ({ id: membership.accountId, name: membership.account.name, role: membership.roleName })),
      // Most recently used first (membershipsOf orders them), so the fallback is the latest one used.
      lastAccountId: isStillMember ? user.lastAccountId : (memberships[0]?.accountId ?? null),
    };
  }

  private async findPendingSelection(selectionToken: string) {
    const presented = parseOpaqueToken(TokenPrefix.selection, selectionToken);
    if (!presented) throw invalidSelectionToken();
    const selection = await this.options.prisma.accountSelection.findUnique({ where: { id: presented.id } });
    if (!selection || !secretMatches(presented.secret, selection.secretHash) || selection.consumedAt) {
      throw invalidSelectionToken();
    }
    if (selection.expiresAt <= this.options.clock.now()) {
      throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The selection token has expired; log in again.');
    }
    return selection;
  }

  private membershipsOf(userId: string): Promise<MembershipWithAccount[]> {
    return this.options.prisma.membership.findMany({
      where: { userId },
      include: { account: true },
      orderBy: [{ lastUsedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'asc' }],
    });
  }
}

const invalidSelectionToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The selection token is invalid or already used.');

/**
 * Sign-up says plainly that an email or username is taken: a user must be told why sign-up failed,
 * and the same fact is learnable from any "forgot password" flow. What it never reveals is anything
 * else about that account; and login, which attackers can hammer, stays enumeration-proof.
 */
function takenIdentifierError(error: unknown) {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const target = JSON.stringify(error.meta ?? {});
  return target.includes('usernameKey')
    ? badUserInput('username', 'That username is taken.', ErrorReason.USERNAME_TAKEN)
    : badUserInput('email', 'An account with that email already exists.', ErrorReason.EMAIL_TAKEN);
}
