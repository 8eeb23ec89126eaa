import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from './rate-limited-error';

/** At most `points` uses per key per fixed window (the limiter's points and duration). */
export class Quota {
  /** onRefused: told of every refusal (gatehouse_rate_limited_total). */
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly onRefused: () => void,
  ) {}

  /** Counts one use of key; refuses it (RATE_LIMITED) once the window's points are spent. */
  async consume(key: string): Promise<void> {
    // penalty counts without rejecting; a refused use still counts, so hammering never earns a retry sooner.
    const used = await this.limiter.penalty(key);
    if (used.consumedPoints > this.limiter.points) this.refuse(used.msBeforeNext);
  }

  /** Refuses (RATE_LIMITED) while the window's points are spent, without counting a use. */
  async assertAvailable(key: string): Promise<void> {
    const used = await this.limiter.get(key);
    if (used !== null && used.consumedPoints >= this.limiter.points) this.refuse(used.msBeforeNext);
  }

  /** Counts one use that already happened: the next assertAvailable sees it. */
  async count(key: string): Promise<void> {
    await this.limiter.penalty(key);
  }

  /** Gives back one use, for a use that turned out not to count (a login that succeeded). */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key);
  }

  private refuse(retryAfterMilliseconds: number): never {
    this.onRefused();
    throw rateLimited(retryAfterMilliseconds);
  }
}
