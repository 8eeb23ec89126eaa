import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from './rate-limited-error';

/** What the nth consecutive failure costs: seconds during which further attempts are refused. */
export interface BlockDecision {
  readonly blockSeconds: number;
  /** True when this failure locks the key (worth an audit event), false for a mere back-off. */
  readonly isLock: boolean;
}

export type FailurePolicy = (consecutiveFailures: number) => BlockDecision;

export interface FailureLockOptions {
  /** Counts attempts per key (points = maxAttempts); its duration is how long failures are remembered. */
  readonly failures: RateLimiterAbstract;
  /** Holds the keys refused until a back-off or lock ends. */
  readonly blocks: RateLimiterAbstract;
  /** The failure that locks: more attempts than this at once are refused before any work. */
  readonly maxAttempts: number;
  readonly policy: FailurePolicy;
  /** Told of every refused attempt (gatehouse_rate_limited_total). */
  readonly onRefused: () => void;
}

export interface FailureOutcome {
  readonly isLocked: boolean;
  readonly blockSeconds: number;
}

/**
 * Consecutive failures per key (an account identifier, a user id), refused for a while once the
 * policy says so; a success clears them.
 *
 * An attempt is counted when it *starts* (check), not when it fails: a burst of parallel attempts
 * cannot all slip past the limit before the first of them is recorded as failed. Concurrency can skip a
 * back-off, never the lock: at most maxAttempts secrets are ever tried per lock.
 */
export class FailureLock {
  constructor(private readonly options: FailureLockOptions) {}

  /** Counts an attempt on key, or refuses it (RATE_LIMITED) while the key is backed off or locked. */
  async check(key: string): Promise<void> {
    const { failures, blocks, maxAttempts, policy } = this.options;
    const attempt = await failures.penalty(key);
    const block = await blocks.get(key);
    const blockedMilliseconds = block && block.consumedPoints > blocks.points ? block.msBeforeNext : 0;
    if (blockedMilliseconds > 0 || attempt.consumedPoints > maxAttempts) {
      // A refused attempt tried nothing: it does not count towards the next lock.
      await failures.reward(key);
      this.options.onRefused();
      throw rateLimited(blockedMilliseconds > 0 ? blockedMilliseconds : policy(maxAttempts).blockSeconds * 1000);
    }
  }

  /** After a checked attempt failed: applies the back-off or lock its count calls for. */
  async fail(key: string): Promise<FailureOutcome> {
    const { failures, blocks, policy } = this.options;
    const counted = await failures.get(key);
    const decision = policy(Math.max(1, counted?.consumedPoints ?? 1));
    if (decision.blockSeconds > 0) await blocks.block(key, decision.blockSeconds);
    // Block first, then start a fresh count: an attempt racing in between still meets the block. Only
    // the failure that clears the count reports the lock, so a burst of failures reports it once.
    const isLocked = decision.isLock && (await failures.delete(key));
    return { isLocked, blockSeconds: decision.blockSeconds };
  }

  /** After a checked attempt succeeded: forgets the key's failures. */
  async reset(key: string): Promise<void> {
    await Promise.all([this.options.failures.delete(key), this.options.blocks.delete(key)]);
  }

  /** After a checked attempt ended before any secret was compared (e.g. the server was busy). */
  async release(key: string): Promise<void> {
    await this.options.failures.reward(key);
  }
}
