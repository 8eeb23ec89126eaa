/**
 * Brute-force and abuse limits, one object (`services.limits`, or passed to a service's options by
 * createApp). Every refusal is the AppError from rateLimited(): UNAUTHENTICATED, reason RATE_LIMITED,
 * `retryAfter` seconds. Counts live in memory, or in Redis when REDIS_URL is set (shared by instances).
 *
 *   login        every check of a password (LoginService.login, PasswordConfirmation): check(key, ip)
 *                before the password is looked at, fail(key) when it is wrong (→ { isLocked }),
 *                reset(key, ip) when right; succeeded(ip) once a login opens a session.
 *   signUp       consume(ip) before a sign-up checks its password or hashes it: policy refusals count.
 *   emailSend    consume(email, ip) before sending a password-reset or verification mail, for every
 *                requested address whether or not a user has it (else the refusal tells which exist).
 *   invitations  consume(accountId, ip, email, inviterUserId) before an invitation is written or mailed
 *                (or resent): per IP, per inviter, per account, and the address's own mail budget
 *                (emailSend's per-address count).
 *   twoFactor    check(userId) before a code is compared (it counts the attempt), then
 *                fail(userId) after a wrong code (→ { isLocked }: record LOCKED_OUT when true) or
 *                reset(userId) after a right one. Refused attempts throw before any work.
 *
 * Tests: the harness raises the per-IP limits (every test request comes from 127.0.0.1); a test about
 * a limit sets it with startTestServer({ ... }), and X-Forwarded-For picks the client IP.
 */
import type { Config } from '../config/config';
import { normalizeEmail } from '../graphql/input-validation';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { FailureLock } from './failure-lock';
import type { FailureOutcome, FailurePolicy } from './failure-lock';
import { loginBackoff, LoginThrottle } from './login-throttle';
import { Quota } from './quota';
import { createRateLimitStore } from './rate-limits';
import type { LimiterName, LimiterSpec } from './rate-limits';

export interface AbuseLimits {
  readonly login: LoginThrottle;
  readonly signUp: { consume(ip: string | null): Promise<void> };
  readonly emailSend: { consume(email: string, ip: string | null): Promise<void> };
  readonly invitations: { consume(accountId: string, ip: string | null, email: string, inviterUserId: string): Promise<void> };
  readonly twoFactor: {
    check(userId: string): Promise<void>;
    fail(userId: string): Promise<FailureOutcome>;
    reset(userId: string): Promise<void>;
  };
}

export interface AbuseLimitsOptions {
  readonly limits: Config['limits'];
  readonly redisUrl: string | null;
  readonly redisKeyPrefix: string;
  readonly logger: Logger;
  /** Counts refusals by limiter (gatehouse_rate_limited_total). */
  readonly metrics: Metrics;
}

/** How long consecutive failures are remembered without a success: long enough that slow guessing still adds up. */
const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;

export async function createAbuseLimits(options: AbuseLimitsOptions): Promise<{ limits: AbuseLimits; close(): Promise<void> }> {
  const { limits } = options;
  const store = await createRateLimitStore({ redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix, logger: options.logger });
  const { metrics } = options;
  const quota = (spec: LimiterSpec & { name: LimiterName }) => new Quota(store.create(spec), () => metrics.rateLimited(spec.name));
  const failureLock = (name: LimiterName, maxAttempts: number, lockSeconds: number, policy: FailurePolicy) =>
    new FailureLock({
      failures: store.create({ name, points: maxAttempts, durationSeconds: FAILURE_MEMORY_SECONDS }),
      blocks: store.create({ name: `${name}-block`, points: 0, durationSeconds: lockSeconds }),
      maxAttempts,
      policy,
      onRefused: () => metrics.rateLimited(name),
    });

  const loginBackoffOptions = {
    backoffAfterFailures: limits.loginBackoffAfterFailures,
    lockAfterFailures: limits.loginLockAfterFailures,
    lockSeconds: limits.loginLockSeconds,
  };
  const login = new LoginThrottle(
    failureLock('login-account', limits.loginLockAfterFailures, limits.loginLockSeconds, (failures) =>
      loginBackoff(failures, loginBackoffOptions),
    ),
    quota({ name: 'login-ip', points: limits.loginIpMaxFailures, durationSeconds: limits.loginIpWindowSeconds }),
    quota({ name: 'login-ip-success', points: limits.loginIpMaxSuccesses, durationSeconds: limits.loginIpWindowSeconds }),
  );

  const signUpPerIp = quota({ name: 'sign-up-ip', points: limits.signUpIpMax, durationSeconds: limits.signUpIpWindowSeconds });

  const emailSendWindow = { points: limits.emailSendMax, durationSeconds: limits.emailSendWindowSeconds };
  const emailSendPerEmail = quota({ name: 'email-send-email', ...emailSendWindow });
  const emailSendPerIp = quota({ name: 'email-send-ip', ...emailSendWindow });

  const invitationWindow = { points: limits.invitationSendMax, durationSeconds: limits.invitationSendWindowSeconds };
  const invitationsPerAccount = quota({ name: 'invitation-account', ...invitationWindow });
  const invitationsPerIp = quota({ name: 'invitation-ip', ...invitationWindow });
  const invitationsPerInviter = quota({ name: 'invitation-inviter', points: limits.invitationInviterMax, durationSeconds: limits.invitationSendWindowSeconds });

  const twoFactor = failureLock('two-factor', limits.twoFactorMaxFailures, limits.twoFactorLockSeconds, (failures) =>
    failures >= limits.twoFactorMaxFailures ? { blockSeconds: limits.twoFactorLockSeconds, isLock: true } : { blockSeconds: 0, isLock: false },
  );

  return {
    limits: {
      login,
      signUp: {
        consume: async (ip) => {
          if (ip) await signUpPerIp.consume(ip);
        },
      },
      emailSend: {
        // One budget per inbox whatever the mail, so nobody can mail-bomb an address through this service.
        consume: async (email, ip) => {
          if (ip) await emailSendPerIp.consume(ip);
          await emailSendPerEmail.consume(normalizeEmail(email));
        },
      },
      invitations: {
        // The IP first: a client refused there spends nothing of the account's budget. The inviter before the
        // account: one member (or one stolen session) cannot spend the whole account's budget. The address's
        // budget is the one every other mail spends: invitations cannot mail-bomb an inbox either.
        consume: async (accountId, ip, email, inviterUserId) => {
          if (ip) await invitationsPerIp.consume(ip);
          await invitationsPerInviter.consume(inviterUserId);
          await invitationsPerAccount.consume(accountId);
          await emailSendPerEmail.consume(normalizeEmail(email));
        },
      },
      twoFactor: {
        check: (userId) => twoFactor.check(userId),
        fail: (userId) => twoFactor.fail(userId),
        reset: (userId) => twoFactor.reset(userId),
      },
    },
    close: () => store.close(),
  };
}
