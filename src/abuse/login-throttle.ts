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
 * Password login limits: consecutive failures per account identifier (back-off, then lock) and
 * failures per client IP (a fixed window). `identifier` is what was typed, normalized, whether or not
 * a user has it: a lock then says nothing about which accounts exist.
 */
export class LoginThrottle {
  constructor(
    private readonly accounts: FailureLock,
    private readonly ips: Quota,
  ) {}

  /** Before the password is looked at: counts the attempt, or refuses it (RATE_LIMITED). */
  async check(identifier: string, ip: string | null): Promise<void> {
    // A refused attempt still counts against its IP: hammering a locked account is failing to log in.
    if (ip) await this.ips.consume(ip);
    await this.accounts.check(identifier);
  }

  /** The password was wrong (or the user unknown). */
  fail(identifier: string): Promise<FailureOutcome> {
    return this.accounts.fail(identifier);
  }

  /** The password was right: the account starts afresh, and the attempt is not held against the IP. */
  async reset(identifier: string, ip: string | null): Promise<void> {
    await this.accounts.reset(identifier);
    if (ip) await this.ips.refund(ip);
  }

  /** The attempt ended before the password was compared (the server was busy): it was no guess. */
  async release(identifier: string, ip: string | null): Promise<void> {
    await this.accounts.release(identifier);
    if (ip) await this.ips.refund(ip);
  }
}
