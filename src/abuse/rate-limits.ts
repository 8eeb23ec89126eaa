import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { IRateLimiterOptions, RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger';

/**
 * Every limiter there is (abuse-limits.ts): part of each key, and the `limiter` label of
 * gatehouse_rate_limited_total, so the label's values are this closed list.
 */
export type LimiterName =
  | 'login-account'
  | 'login-ip'
  | 'login-ip-success'
  | 'sign-up-ip'
  | 'email-send-email'
  | 'email-send-ip'
  | 'invitation-account'
  | 'invitation-ip'
  | 'invitation-inviter'
  | 'two-factor';

export interface LimiterSpec {
  /** Part of every key, so limiters never share counts; a failure lock's blocks live under `<name>-block`. */
  readonly name: LimiterName | `${LimiterName}-block`;
  readonly points: number;
  /** How long a count lives after its first point (a fixed window). */
  readonly durationSeconds: number;
}

/** Where counts live: this process's memory, or Redis shared by every instance. */
export interface RateLimitStore {
  create(spec: LimiterSpec): RateLimiterAbstract;
  close(): Promise<void>;
}

export interface RateLimitStoreOptions {
  readonly redisUrl: string | null;
  readonly keyPrefix: string;
  readonly logger: Logger;
}

// A slow Redis must not stall logins: past these, the call fails over to the in-memory insurance limiter.
const REDIS_CONNECT_TIMEOUT_MILLISECONDS = 2_000;
const REDIS_COMMAND_TIMEOUT_MILLISECONDS = 500;

export async function createRateLimitStore(options: RateLimitStoreOptions): Promise<RateLimitStore> {
  if (!options.redisUrl) {
    return {
      create: (spec) => new RateLimiterMemory(limiterOptions(options.keyPrefix, spec)),
      close: async () => undefined,
    };
  }
  return RedisRateLimitStore.connect(options.redisUrl, options.keyPrefix, options.logger);
}

function limiterOptions(keyPrefix: string, spec: LimiterSpec): IRateLimiterOptions {
  return { keyPrefix: `${keyPrefix}${spec.name}`, points: spec.points, duration: spec.durationSeconds };
}

/**
 * Counts in Redis, so every instance sees the same failures. When Redis is unreachable each call
 * falls back to an in-memory insurance limiter: the limits keep protecting (per instance) instead of
 * failing open or failing every login; a warning says so once per outage.
 */
class RedisRateLimitStore implements RateLimitStore {
  private isOnInsurance = false;
  private hasReportedConnectionError = false;

  private constructor(
    private readonly client: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  static async connect(url: string, keyPrefix: string, logger: Logger): Promise<RedisRateLimitStore> {
    // Imported here: an instance without REDIS_URL never loads ioredis (about 2 MiB of heap).
    const { Redis } = await import('ioredis');
    const client = new Redis(url, {
      lazyConnect: true,
      // Queued commands would hold logins until Redis returns; refuse them so the insurance limiter answers now.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MILLISECONDS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MILLISECONDS,
    });
    const store = new RedisRateLimitStore(client, keyPrefix, logger);
    client.on('error', (error: Error) => store.reportConnectionError(error));
    client.on('ready', () => store.reportReady());
    // Waits for the first connection so early requests do not fall back needlessly; a Redis that is down
    // at start does not stop the service (ioredis keeps reconnecting in the background).
    await client.connect().catch(() => undefined);
    return store;
  }

  create(spec: LimiterSpec): RateLimiterAbstract {
    const options = limiterOptions(this.keyPrefix, spec);
    return new RateLimiterRedis({
      ...options,
      storeClient: this.client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceLimiter(options, () => this.reportInsurance()),
    });
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  private reportInsurance(): void {
    if (this.isOnInsurance) return;
    this.isOnInsurance = true;
    this.logger.warn(
      { redisStatus: this.client.status },
      'rate limits: Redis is unreachable; the in-memory insurance limiter has taken over (counts are per instance until Redis is back)',
    );
  }

  private reportConnectionError(error: Error): void {
    // ioredis reports every reconnection attempt; one warning per outage is enough.
    if (this.hasReportedConnectionError) return;
    this.hasReportedConnectionError = true;
    this.logger.warn({ err: error }, 'rate limits: cannot reach Redis');
  }

  private reportReady(): void {
    if (this.isOnInsurance || this.hasReportedConnectionError) {
      this.logger.info('rate limits: Redis is reachable again; counts are shared again');
    }
    this.isOnInsurance = false;
    this.hasReportedConnectionError = false;
  }
}

/** An in-memory limiter that tells its owner whenever it is used, i.e. whenever Redis failed a call. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: IRateLimiterOptions,
    private readonly onUse: () => void,
  ) {
    super(options);
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, points, options);
  }

  override penalty(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.penalty(key, points, options);
  }

  override reward(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.reward(key, points, options);
  }

  override get(key: string | number, options?: Record<string, unknown>): Promise<RateLimiterRes | null> {
    this.onUse();
    return super.get(key, options);
  }

  override set(key: string | number, points: number, seconds: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.set(key, points, seconds, options);
  }

  override block(key: string | number, seconds: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.block(key, seconds, options);
  }

  override delete(key: string | number, options?: Record<string, unknown>): Promise<boolean> {
    this.onUse();
    return super.delete(key, options);
  }
}
