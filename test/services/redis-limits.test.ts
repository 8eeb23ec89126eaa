import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { attemptLogin, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { reasonIn } from '../support/graphql-errors';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * Rate limits on a real Redis (npm run test:services): counts shared by instances, and the insurance
 * limiter when Redis is out of reach. Each run uses keys of its own, so runs never see each other's counts.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Nothing listens here: an instance pointed at it starts with Redis down (the machine's Redis is never stopped).
const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:6390';
const KEY_PREFIX = `gatehouse-test:${randomBytes(6).toString('hex')}:`;
const LOCK_AFTER = 3;

const limitsEnvironment = {
  REDIS_KEY_PREFIX: KEY_PREFIX,
  LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER),
  LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER),
  LOGIN_LOCK_SECONDS: '60',
};

let redis: Redis;
let database: TestDatabase;
let first: TestServer;
let second: TestServer;
// Two instances of one deployment: one database (this suite runs on PostgreSQL) and one Redis.
beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  database = await createTestDatabase();
  first = await startTestServer({ ...limitsEnvironment, REDIS_URL }, { database });
  second = await startTestServer({ ...limitsEnvironment, REDIS_URL }, { database });
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await database?.drop();
  const keys = await redis.keys(`${KEY_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});


/** A user of the deployment: signed up through one instance, known to both. */
const signUpOnce = (): Promise<SignedUpUser> => signUp(first);

describe('rate limits in Redis', () => {
  it('keeps the counts in Redis, under the configured key prefix', async () => {
    await attemptLogin(first, { email: uniqueEmail('counted'), password: strongPassword() });

    expect(await redis.keys(`${KEY_PREFIX}login-account*`)).not.toHaveLength(0);
  });

  it('locks an account on one instance after failures on another', async () => {
    const user = await signUpOnce();
    for (let failure = 0; failure < LOCK_AFTER; failure++) {
      expect(reasonIn(await attemptLogin(first, { email: user.email, password: strongPassword() }))).toBe('INVALID_CREDENTIALS');
    }

    const response = await attemptLogin(second, { email: user.email, password: user.password });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
  });

  it('adds up failures made on different instances', async () => {
    const user = await signUpOnce();
    await attemptLogin(first, { email: user.email, password: strongPassword() });
    await attemptLogin(second, { email: user.email, password: strongPassword() });
    expect(reasonIn(await attemptLogin(first, { email: user.email, password: user.password }))).toBeUndefined();

    for (let failure = 0; failure < LOCK_AFTER - 1; failure++) await attemptLogin(first, { email: user.email, password: strongPassword() });
    await attemptLogin(second, { email: user.email, password: strongPassword() });

    expect(reasonIn(await attemptLogin(first, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');
    expect(reasonIn(await attemptLogin(second, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');
  });

  it('refuses a locked login without any password hashing', async () => {
    // This instance refuses every hash (a queue of 0), so an attempt that reached argon2 would answer SERVER_BUSY.
    const noHashing = await startTestServer({ ...limitsEnvironment, REDIS_URL, PASSWORD_HASH_QUEUE_LIMIT: '0' });
    try {
      const lockedEmail = uniqueEmail('locked');
      for (let failure = 0; failure < LOCK_AFTER; failure++) await attemptLogin(first, { email: lockedEmail, password: strongPassword() });

      const locked = await attemptLogin(noHashing, { email: lockedEmail, password: strongPassword() });
      const unlocked = await attemptLogin(noHashing, { email: uniqueEmail('unlocked'), password: strongPassword() });

      expect(locked.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
      expect(unlocked.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'SERVER_BUSY' });
    } finally {
      await noHashing.close();
    }
  });
});

describe('when Redis is unreachable', () => {
  let stranded: TestServer;
  beforeAll(async () => {
    stranded = await startTestServer({ ...limitsEnvironment, REDIS_URL: UNREACHABLE_REDIS_URL });
  });
  afterAll(() => stranded.close());

  it('still logs users in', async () => {
    const user = await signUp(stranded);

    const response = await attemptLogin(stranded, { email: user.email, password: user.password });

    expect(response.errors).toBeUndefined();
    expect(response.data!.login.__typename).toBe('AuthPayload');
  });

  it('keeps limiting with the in-memory insurance limiter, and says so in a warning', async () => {
    const user = await signUp(stranded);
    for (let failure = 0; failure < LOCK_AFTER; failure++) {
      expect(reasonIn(await attemptLogin(stranded, { email: user.email, password: strongPassword() }))).toBe('INVALID_CREDENTIALS');
    }

    const response = await attemptLogin(stranded, { email: user.email, password: user.password });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    const warnings = stranded.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40 && /insurance/i.test(entry.msg));
    expect(warnings).toHaveLength(1);
  });
});
