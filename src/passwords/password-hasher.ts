import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { Sema } from 'async-sema';
import { serverBusy } from '../errors';
import type { Metrics } from '../metrics/metrics';
import { untraced } from '../tracing/spans';
import type { Spans } from '../tracing/spans';

export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export interface PasswordHasherOptions {
  readonly argon2: Argon2Parameters;
  /** Hashes running at once. argon2 runs on libuv's thread pool; leaving threads free keeps DNS, fs and crypto responsive. */
  readonly concurrency: number;
  /** Hashes waiting beyond that before new ones are shed with SERVICE_UNAVAILABLE instead of queueing without end. */
  readonly queueLimit: number;
  /** Times each hash (gatehouse_password_hash_seconds) and reads the queue (gatehouse_hash_queue_depth). */
  readonly metrics: Metrics;
  /**
   * Where each hash and verification is timed as a span (password.hash, password.verify), waiting for a
   * slot included: argon2 runs on libuv's thread pool, where no instrumentation sees it. Untraced by default.
   */
  readonly spans?: Spans;
}

/**
 * argon2id hashing with bounded concurrency. Every verification costs one full hash, including
 * for unknown users (verifyNothing), so response time does not reveal whether an account exists.
 */
export class PasswordHasher {
  private readonly slots: Sema;
  private readonly spans: Spans;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: PasswordHasherOptions) {
    this.slots = new Sema(options.concurrency);
    options.metrics.watchHashQueue(() => this.slots.nrWaiting());
    this.spans = options.spans ?? untraced;
  }

  hash(password: string): Promise<string> {
    return this.spans.inSpan('password.hash', () => this.withSlot(() => argon2.hash(password, { type: argon2.argon2id, ...this.options.argon2 })));
  }

  /** True when the password matches. A malformed stored hash counts as no match, never a crash. */
  verify(storedHash: string, password: string): Promise<boolean> {
    return this.spans.inSpan('password.verify', () => this.withSlot(() => argon2.verify(storedHash, password).catch(() => false)));
  }

  /** Does the work of a failed verification for a user that does not exist. */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(await this.dummyHash, password);
    return false;
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.slots.nrWaiting() >= this.options.queueLimit) throw serverBusy();
    await this.slots.acquire();
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.options.metrics.passwordHashed((performance.now() - started) / 1000);
      this.slots.release();
    }
  }
}
