import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import { passwordAttemptKey } from '../abuse/login-throttle';
import { isRateLimited } from '../abuse/rate-limited-error';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { AuthEventInput } from '../audit/auth-event';
import { badUserInput, ErrorReason, forbidden, invalidCredentials } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import { clientIdField, emailField, idField, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { LoginSuccess, Metrics } from '../metrics/metrics';
import type { PasswordHasher } from '../passwords/password-hasher';
import { normalizePassword } from '../passwords/password-policy';
import type { PasswordPolicyOptions } from '../passwords/password-policy';
import type { SessionGrant } from '../sessions/session-grant';
import type { SessionService } from '../sessions/session.service';
import { usernameField, usernameKey } from '../users/username';
import type { AccountSelectionService } from './account-selection.service';
import type { LoginOutcome, MembershipWithAccount } from './auth.types';
import type { LoginReadStore } from './login-read.store';
import type { SecondFactorChallenges } from './second-factor-challenges';
import type { UserWithMemberships } from './user-with-memberships.sql';

export interface LoginServiceOptions {
  readonly prisma: PrismaClient;
  /** The login's read: the user with their memberships. */
  readonly loginReads: LoginReadStore;
  readonly sessions: SessionService;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicyOptions;
  readonly audit: AuditLog;
  readonly limits: AbuseLimits;
  readonly challenges: SecondFactorChallenges;
  readonly accountSelection: AccountSelectionService;
  readonly metrics: Metrics;
}

const loginSchema = z.object({
  email: emailField.nullish(),
  username: usernameField.nullish(),
  clientId: clientIdField.nullish(),
  accountId: idField.nullish(),
});

/** Password login and its completion by a passed 2FA challenge. */
export class LoginService {
  constructor(private readonly options: LoginServiceOptions) {}

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
    // With the memberships a successful login goes on to need: one statement, whether or not the user exists.
    const found = fields.email
      ? await this.options.loginReads.findByEmail(fields.email)
      : await this.options.loginReads.findByUsernameKey(usernameKey(fields.username ?? ''));
    const user = found?.user ?? null;
    const attemptKey = passwordAttemptKey(user?.id ?? null, fields.email ? `email:${fields.email}` : `username:${usernameKey(fields.username ?? '')}`);
    const attempt = { userId: user?.id ?? null, clientId: fields.clientId ?? null, ...request };
    // Before any argon2 work: a locked or backed-off login costs nothing.
    await this.checkLoginLimits(attemptKey, attempt);
    const isValid = await (user ? this.options.hasher.verify(user.passwordHash, password) : this.options.hasher.verifyNothing(password)).catch(
      async (error: unknown) => {
        // Refused before hashing (server busy): no password was tried, so the attempt does not count.
        this.options.metrics.loginFailed('server_busy');
        await this.options.limits.login.release(attemptKey, request.ip);
        throw error;
      },
    );
    if (!found || !isValid) {
      this.options.metrics.loginFailed(user ? 'wrong_password' : 'unknown_user');
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
    await this.options.limits.login.succeeded(request.ip);

    const outcome = await this.continueLogin(found, fields.accountId ?? null, fields.clientId ?? null, request, null).catch((error: unknown) => {
      this.options.metrics.loginFailed('refused');
      throw error;
    });
    this.options.metrics.loginSucceeded(successOf(outcome));
    return outcome;
  }

  /** Completes a login that answered TwoFactorRequired, then goes on exactly as that login would have. */
  async verifyTwoFactor(input: { challengeToken: string; code: string }, request: RequestMetadata): Promise<LoginOutcome> {
    const passed = await this.options.challenges.verify(input.challengeToken, input.code, request);
    const found = await this.options.loginReads.findById(passed.userId);
    // Deleted while the challenge was open: nobody left to log in.
    if (!found) throw invalidCredentials();
    // The session is recorded as opened where the second factor was given: that device holds the tokens.
    return this.continueLogin(found, passed.accountId, passed.clientId, request, passed.id);
  }

  /**
   * After the password: into the named or only account, or the account choice (empty for a user in no
   * account, who can then createAccount with its selection token). With 2FA on, the
   * second factor comes first, before anything about the user's accounts is decided or shown: the
   * account list, and even whether they belong to the account named, is for someone who has both
   * factors (a named account is checked once the challenge is passed). `passedChallengeId` is the
   * challenge the second factor was given for.
   */
  private async continueLogin(
    { user, memberships }: UserWithMemberships,
    accountId: string | null,
    clientId: string | null,
    request: RequestMetadata,
    passedChallengeId: string | null,
  ): Promise<LoginOutcome> {
    if (user.totpEnabledAt !== null && passedChallengeId === null) {
      // The account named, unchecked; or the only one, so a membership added meanwhile does not turn this login into a choice.
      const intended = accountId ?? (memberships.length === 1 ? memberships[0]!.accountId : null);
      return this.options.challenges.start(this.options.prisma, { userId: user.id, accountId: intended, clientId, request });
    }
    // No account left (the last one was deleted, or they left it) falls through to the choice with an
    // empty list: its selection token is what createAccount takes to start them a new one.
    const chosen = accountId
      ? memberships.find((membership) => membership.accountId === accountId)
      : memberships.length === 1
        ? memberships[0]
        : undefined;
    if (accountId && !chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    if (chosen) return this.startSession(user, chosen, clientId, request);
    // The selection takes the passed challenge's id: that is how selectAccount knows the second factor was given.
    return this.options.accountSelection.offerChoice(user, memberships, clientId, request, passedChallengeId ?? undefined);
  }

  /** Counts a login attempt, or refuses it (RATE_LIMITED) and records the refusal. */
  private async checkLoginLimits(attemptKey: string, attempt: Omit<AuthEventInput, 'type'>): Promise<void> {
    try {
      await this.options.limits.login.check(attemptKey, attempt.ip ?? null);
    } catch (error) {
      if (isRateLimited(error)) {
        this.options.metrics.loginFailed('rate_limited');
        await this.options.audit.record({ ...attempt, type: AuthEventType.LOGIN_FAILED, reason: ErrorReason.RATE_LIMITED });
      }
      throw error;
    }
  }

  /** One statement, atomic on its own (SessionStore.open): no transaction to hold open. */
  private startSession(user: User, membership: MembershipWithAccount, clientId: string | null, request: RequestMetadata): Promise<SessionGrant> {
    return this.options.sessions.start({
      user,
      account: membership.account,
      role: membership.roleName,
      clientId,
      request,
      isLogin: true,
      event: AuthEventType.LOGIN_SUCCEEDED,
    });
  }
}

/** What a login with the right password answered, as gatehouse_logins_total's reason. */
function successOf(outcome: LoginOutcome): LoginSuccess {
  if ('challengeToken' in outcome) return 'second_factor_required';
  return 'selectionToken' in outcome ? 'account_choice' : 'session';
}
