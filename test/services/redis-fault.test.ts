import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { LOGOUT, ME, REFRESH, REQUEST_RESET } from '../support/documents';
import { attemptLogin, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * Redis dies under a running instance and comes back (npm run test:services). The Redis killed here is a
 * throwaway redis-server of this file's own, on a free port: the machine's Redis is never touched.
 */
const KEY_PREFIX = `gatehouse-fault:${randomBytes(6).toString('hex')}:`;
const LOCK_AFTER = 3;

let port: number;
let redisProcess: ChildProcess | null = null;
let server: TestServer;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
}

async function startRedis(): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const isUp = await new Promise<boolean>((resolve) => execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], (error, stdout) => resolve(!error && stdout.trim() === 'PONG')));
    if (isUp) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

async function killRedis(): Promise<void> {
  if (!redisProcess || redisProcess.exitCode !== null) return;
  const exited = once(redisProcess, 'exit');
  // SIGKILL: a crash, not a polite shutdown that closes client connections first.
  redisProcess.kill('SIGKILL');
  await exited;
  redisProcess = null;
}

async function keysInRedis(): Promise<string[]> {
  const client = new Redis({ port, host: '127.0.0.1' });
  try {
    return await client.keys(`${KEY_PREFIX}*`);
  } finally {
    client.disconnect();
  }
}

beforeAll(async () => {
  port = await freePort();
  redisProcess = await startRedis();
  server = await startTestServer({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_KEY_PREFIX: KEY_PREFIX,
    LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_SECONDS: '60',
  });
}, 30_000);
afterAll(async () => {
  await server?.close();
  await killRedis();
});

const logEntries = () => server.logs.map((line) => JSON.parse(line) as { level: number; msg: string });
const redisWarnings = () => logEntries().filter((entry) => entry.level === 40 && /redis|insurance/i.test(entry.msg));

/** Fails LOCK_AFTER times, then the right password must be refused as RATE_LIMITED. */
async function expectLockAfterFailures(user: SignedUpUser): Promise<void> {
  for (let failure = 0; failure < LOCK_AFTER; failure++) {
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: strongPassword() }))).toBe('INVALID_CREDENTIALS');
  }
  const locked = await attemptLogin(server, { email: user.email, password: user.password });
  expect(locked.status).toBe(200);
  expect(locked.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
}

/** Sign-up, login, me, refresh (rotation), logout: everything but the limits must not care where counts live. */
async function expectEveryOperationWorks(): Promise<void> {
  const user = await signUp(server);
  const loggedIn = await attemptLogin(server, { email: user.email, password: user.password });
  expect(loggedIn.errors).toBeUndefined();
  expect(loggedIn.data!.login.__typename).toBe('AuthPayload');
  expect((await server.graphql(ME, {}, { token: loggedIn.data!.login.accessToken })).data?.me?.id).toBe(user.userId);
  const refreshed = await server.graphql(REFRESH, { input: { refreshToken: loggedIn.data!.login.refreshToken } });
  expect(refreshed.errors).toBeUndefined();
  const reset = await server.graphql(REQUEST_RESET, { email: user.email });
  expect(reset.data?.requestPasswordReset).toBe(true);
  const loggedOut = await server.graphql(LOGOUT, {}, { token: refreshed.data!.refreshToken.accessToken });
  expect(loggedOut.data?.logout).toBe(true);
}

describe('when Redis dies under a running instance and comes back', () => {
  it('counts in Redis while it is up', async () => {
    await attemptLogin(server, { email: uniqueEmail('before'), password: strongPassword() });

    expect((await keysInRedis()).some((key) => key.startsWith(`${KEY_PREFIX}login-account`))).toBe(true);
    expect(redisWarnings()).toEqual([]);
  });

  it('keeps every operation working and keeps locking accounts in memory, with one warning for the outage', async () => {
    await killRedis();

    const started = Date.now();
    await expectEveryOperationWorks();
    await expectLockAfterFailures(await signUp(server));
    // A locked unknown email reads like a locked real account, outage or not.
    const stranger = uniqueEmail('stranger');
    for (let failure = 0; failure < LOCK_AFTER; failure++) await attemptLogin(server, { email: stranger, password: strongPassword() });
    expect(reasonIn(await attemptLogin(server, { email: stranger, password: strongPassword() }))).toBe('RATE_LIMITED');
    await expectEveryOperationWorks();
    // Commands fail fast (no offline queue), so the outage costs no request a timeout.
    expect(Date.now() - started).toBeLessThan(15_000);

    const warnings = redisWarnings();
    expect(warnings.filter((entry) => /insurance/i.test(entry.msg))).toHaveLength(1);
    // At most the insurance warning and one "cannot reach Redis", however many requests and reconnection attempts.
    expect(warnings.length).toBeLessThanOrEqual(2);
  });

  it('goes back to Redis when it returns, says so, and keeps everything working', async () => {
    redisProcess = await startRedis();
    // ioredis reconnects in the background (its back-off tops out at 2 s).
    for (let attempt = 0; attempt < 100 && !logEntries().some((entry) => /reachable again/.test(entry.msg)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(logEntries().filter((entry) => /reachable again/.test(entry.msg))).toHaveLength(1);

    await expectEveryOperationWorks();
    const user = await signUp(server);
    await expectLockAfterFailures(user);
    // The counts are in the new Redis again (it started empty), under the configured prefix.
    expect((await keysInRedis()).some((key) => key.startsWith(`${KEY_PREFIX}login-account`))).toBe(true);
    // No further warning once Redis is back.
    expect(redisWarnings().length).toBeLessThanOrEqual(2);
  });

  it('warns once again for a second outage', async () => {
    const before = redisWarnings().filter((entry) => /insurance/i.test(entry.msg)).length;
    await killRedis();

    await expectEveryOperationWorks();
    await expectLockAfterFailures(await signUp(server));

    expect(redisWarnings().filter((entry) => /insurance/i.test(entry.msg))).toHaveLength(before + 1);
  });
});
