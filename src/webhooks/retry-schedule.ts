/**
 * How long to wait after each failed attempt, in seconds: ten attempts over about 46 hours, so a receiver
 * that is down for a whole day still gets every event once it is back. Spelled out rather than computed
 * (base × factorⁿ) so the README and the code read the same table.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 30, 2 * 60, 10 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60, 24 * 60 * 60];

/** Attempts in all: the first, then one after each delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** Up to this share of the delay is added at random, so deliveries that failed together (a receiver's outage) do not all return at once. */
const JITTER = 0.2;

/**
 * The wait after `attemptsMade` failed attempts, or null when that was the last. The jitter only ever
 * lengthens a delay, so the schedule's total (≥ 24 h) holds.
 */
export function retryDelaySeconds(attemptsMade: number, random: () => number = Math.random): number | null {
  const delay = RETRY_DELAYS_SECONDS[attemptsMade - 1];
  return delay === undefined ? null : delay * (1 + JITTER * random());
}
