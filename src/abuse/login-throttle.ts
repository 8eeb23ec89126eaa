import type { BlockDecision, FailureLock, FailureOutcome } from './failure-lock';
import type { Quota } from './quota';

export interface LoginBackoffOptions {
  readonly backoffAfterFailures: number;
  readonly lockAfterFailures: number;
  readonly lockSeconds: number;
}

/**
 * After the nth consecutive failure: nothing before backoffAfterFailures, then 1 s, 2 s, 4 s …
 * (doubling, never longer than the lock), and the lock from lockAfterFailures on.
 */
export function loginBackoff(failures: number, options: LoginBackoffOptions): BlockDecision {
  if (failures >= options.lockAfterFailures) return { blockSeconds: options.lockSeconds, isLock: true };
  if (failures < options.backoffAfterFailures) return { blockSeconds: 0, isLock: false };
  return { blockSeconds: Math.min(2 ** (failures - options.backoffAfterFailures), options.lockSeconds), isLock: false };
}

/**
 * The key a password attempt is counted under: the user once the identifier names one, so every way
 * of naming them (email, username) and every check of their password (login, change password, turning
 * on 2FA) shares one budget; else what was typed, so an unknown identifier is counted (and locks) alike.
 */
export const passwordAttemptKey = (userId: string | null, typedIdentifier: string): string =>
  userId === null ? typedIdentifier : userAttemptKey(userId);

/** A known user's key, for checks of their password that start from the user (changing it, turning on 2FA). */
export const userAttemptKey = (userId: string): string => `user:${userId}`;

/**
 * Password limits, for logins and for every other check of a password (change password, turning on
 * 2FA): consecutive failures per key (back-off, then lock), failures per client IP, and, generously,
 * successful logins per client IP (fixed windows). The key is the user (`user:<id>`) once the typed
 * identifier names one, so a user's email and username share one budget; otherwise the identifier
 * itself, so an unknown one locks exactly like a known one and a lock says nothing of which exist.
 */
export class LoginThrottle {
  constructor(
    private readonly accounts: FailureLock,
    private readonly ips: Quota,
    private readonly successfulIps: Quota,
  ) {}

  /** Before the password is looked at: counts the attempt, or refuses it (RATE_LIMITED). */
  async check(key: string, ip: string | null): Promise<void> {
    // A refused attempt still counts against its IP: hammering a locked account is failing to log in.
    if (ip) await this.ips.consume(ip);
    // Each success opens a session: one IP opening them without end is farming sessions, not logging in.
    if (ip) await this.successfulIps.assertAvailable(ip);
    await this.accounts.check(key);
  }

  /** The password was wrong (or the user unknown). */
  fail(key: string): Promise<FailureOutcome> {
    return this.accounts.fail(key);
  }

  /** The password was right: the key starts afresh, and the attempt is not held against the IP's failures. */
  async reset(key: string, ip: string | null): Promise<void> {
    await this.accounts.reset(key);
    if (ip) await this.ips.refund(ip);
  }

  /** A login succeeded and opened (or will open) a session: counted against the IP's successes. */
  async succeeded(ip: string | null): Promise<void> {
    if (ip) await this.successfulIps.count(ip);
  }

  /** The attempt ended before the password was compared (the server was busy): it was no guess. */
  async release(key: string, ip: string | null): Promise<void> {
    await this.accounts.release(key);
    if (ip) await this.ips.refund(ip);
  }
}
