import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { readMigrations } from '../../src/database/migrations';
import { LOGIN, LOGOUT, ME, REFRESH, SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { postGraphql } from '../support/graphql-client';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { SERVED_BY_HEADER, startHaproxy } from '../support/haproxy';
import type { Balancer } from '../support/haproxy';
import { restartablePort } from '../support/ports';
import { buildServiceIntoPrivateDirectory, startServiceProcess } from '../support/service-process';
import type { ServiceProcess } from '../support/service-process';
import { sleep } from '../support/sleep';
import { startSteadyLoad } from '../support/steady-load';
import type { LoadClient, LoadTally } from '../support/steady-load';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

/**
 * Three instances of the compiled service on one PostgreSQL database and one Redis, behind HAProxy run
 * on examples/haproxy/haproxy.cfg (npm run test:services): they behave as one service, a rolling restart
 * under load loses no request, and three starting at once on an empty database migrate it once.
 */
const CHECK_INTERVAL_MILLISECONDS = 250;
// HAProxy takes a stopping instance out after 2 failed checks (about 0.5 s here): 2 s leaves a wide margin.
const DRAIN_SECONDS = 2;
const LOCK_AFTER = 6;
const LOAD_CLIENTS = 4;
/**
 * Between one client's requests: steady load (about 50 requests a second in all) that leaves the two
 * cores room to boot the restarted instance, which back-to-back requests would slow several-fold.
 */
const LOAD_PAUSE_MILLISECONDS = 50;
/** The key prisma migrate and migrations.ts lock while migrating. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

interface Instance {
  /** HAProxy's name for it (the example's server lines, in order). */
  readonly name: string;
  readonly port: number;
  readonly url: string;
  service: ServiceProcess;
}

const keyPrefix = `gatehouse-fleet:${randomBytes(6).toString('hex')}:`;
let build: ReturnType<typeof buildServiceIntoPrivateDirectory>;
let database: TestDatabase;
let databaseUrl: string;
let environment: Record<string, string>;
let balancer: Balancer;
const instances: Instance[] = [];
/** Each instance's first start, on the empty database. */
const firstOutputs: string[] = [];

beforeAll(async () => {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('the fleet test needs Redis: set REDIS_URL (npm run test:services does)');
  const setUpStarted = performance.now();
  build = buildServiceIntoPrivateDirectory();
  const builtAfter = performance.now() - setUpStarted;
  database = await createTestDatabase();
  if (database.config.kind !== 'postgres') throw new Error('the fleet test runs on PostgreSQL: set DATABASE_URL (npm run test:services does)');
  databaseUrl = database.config.url;
  environment = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    // One secret for all: a token one instance signs, every other verifies.
    JWT_SECRET: randomBytes(48).toString('base64'),
    // HAProxy connects from loopback and sets X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS),
    LOG_LEVEL: 'info',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    SIGN_UP_IP_MAX: '1000',
    LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_SECONDS: '60',
  };

  // The three start at once on the empty database. The test holds the migration lock until all three
  // wait for it, so they have all found every migration pending and race for each one for real.
  const lockHolder = new Client({ connectionString: databaseUrl });
  await lockHolder.connect();
  await lockHolder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = await restartablePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const starting = ports.map((port) => startServiceProcess(build.mainScript, environment, { port }));
  // Ending the session releases the lock, also when the wait fails; the instances are collected either
  // way, so that afterAll stops every one that started.
  const waited = await waitForLockWaiters(lockHolder, 3, 60_000).then(
    () => null,
    (error: unknown) => error,
  );
  await lockHolder.end();
  const started = await Promise.allSettled(starting);
  started.forEach((result, index) => {
    if (result.status !== 'fulfilled') return;
    instances.push({ name: `gatehouse${index + 1}`, port: ports[index]!, url: result.value.url, service: result.value });
    firstOutputs.push(result.value.output());
  });
  if (waited) throw waited;
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  console.log(`service built in ${(builtAfter / 1000).toFixed(1)} s; three instances up on the empty database ${((performance.now() - setUpStarted - builtAfter) / 1000).toFixed(1)} s later`);

  balancer = await startHaproxy(
    instances.map((instance) => `127.0.0.1:${instance.port}`),
    CHECK_INTERVAL_MILLISECONDS,
  );
  for (const instance of instances) await balancer.waitForServer(instance.name, 'UP', 10_000);
}, 180_000);

afterAll(async () => {
  // Everything stops, whatever failed: HAProxy and every instance, then the database, the build and the keys.
  await Promise.allSettled([balancer?.stop(), ...instances.map((instance) => instance.service.stop())]);
  await database?.drop();
  build?.remove();
  if (process.env.REDIS_URL) {
    const redis = new Redis(process.env.REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}, 30_000);

async function waitForLockWaiters(client: Client, count: number, timeoutMilliseconds: number): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < timeoutMilliseconds) {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [PRISMA_MIGRATE_LOCK_KEY],
    );
    if (rows[0]!.waiting >= count) return;
    await sleep(100);
  }
  throw new Error(`${count} instances did not all wait for the migration lock within ${timeoutMilliseconds} ms`);
}

/** Log lines at warn (40) or above: pino's JSON lines. */
const problemLines = (output: string) => output.split('\n').filter((line) => /"level":(4|5|6)0\b/.test(line));

const graphqlUrlOf = (url: string) => `${url}/graphql`;

async function signUpThrough(url: string): Promise<{ email: string; password: string; userId: string; accessToken: string; refreshToken: string }> {
  const email = uniqueEmail('fleet');
  const password = strongPassword();
  const answer = await postGraphql(graphqlUrlOf(url), SIGN_UP, { variables: { input: { email, password } } });
  if (answer.errors) throw new Error(`signUp failed: ${JSON.stringify(answer.errors)}`);
  const { user, accessToken, refreshToken } = answer.data!.signUp;
  return { email, password, userId: user.id, accessToken, refreshToken };
}

describe('three instances behind HAProxy', () => {
  it('migrate an empty database exactly once when started at once, and all three start cleanly', async () => {
    const names = readMigrations().map((migration) => migration.name);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client
      .query<{ migration_name: string; finished: boolean }>('SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name')
      .finally(() => client.end());
    expect(rows).toEqual(names.map((name) => ({ migration_name: name, finished: true })));

    // Every instance found them all pending, and between them they applied each one once.
    const appliedBy = firstOutputs.map((output) => {
      expect(output).toContain(`applying ${names.length} database migrations`);
      const line = output.split('\n').find((candidate) => candidate.includes('"msg":"applied database migrations"'));
      return line ? (JSON.parse(line) as { migrations: string[] }).migrations : [];
    });
    expect(appliedBy.flat().sort()).toEqual(names);
    console.log(`migrations applied per instance: ${appliedBy.map((applied) => applied.length).join(', ')} of ${names.length}`);
    expect(firstOutputs.flatMap(problemLines)).toEqual([]);
    for (const instance of instances) expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
  });

  it('refuses, on every instance, the tokens of a session logged in through the balancer, refreshed on one instance and logged out on another', async () => {
    const user = await signUpThrough(balancer.url);
    const login = await postGraphql(graphqlUrlOf(balancer.url), LOGIN, { variables: { input: { email: user.email, password: user.password } } });
    expect(login.errors).toBeUndefined();
    expect(instances.map((instance) => instance.name)).toContain(login.headers.get(SERVED_BY_HEADER));
    const first = login.data!.login;

    const [, refreshingInstance, loggingOutInstance] = instances;
    const refreshed = await postGraphql(graphqlUrlOf(refreshingInstance!.url), REFRESH, { variables: { input: { refreshToken: first.refreshToken } } });
    expect(refreshed.errors).toBeUndefined();
    const second = refreshed.data!.refreshToken;
    for (const instance of instances) {
      expect((await postGraphql(graphqlUrlOf(instance.url), ME, { token: second.accessToken })).data?.me?.id).toBe(user.userId);
    }
    const loggedOut = await postGraphql(graphqlUrlOf(loggingOutInstance!.url), LOGOUT, { token: second.accessToken });
    expect(loggedOut.data).toEqual({ logout: true });

    for (const instance of instances) {
      for (const accessToken of [first.accessToken!, second.accessToken]) {
        const me = await postGraphql(graphqlUrlOf(instance.url), ME, { token: accessToken });
        expect({ instance: instance.name, code: codeIn(me), me: me.data?.me ?? null }).toEqual({ instance: instance.name, code: 'UNAUTHENTICATED', me: null });
      }
      for (const refreshToken of [first.refreshToken!, second.refreshToken]) {
        const refresh = await postGraphql(graphqlUrlOf(instance.url), REFRESH, { variables: { input: { refreshToken } } });
        expect({ instance: instance.name, code: codeIn(refresh), data: refresh.data ?? null }).toEqual({ instance: instance.name, code: 'UNAUTHENTICATED', data: null });
      }
    }
  });

  it('adds failed logins spread across the instances up to one lock, which every instance enforces', async () => {
    const user = await signUpThrough(balancer.url);
    const failuresPerInstance: Record<string, number> = {};
    for (let failure = 0; failure < LOCK_AFTER; failure++) {
      const answer = await postGraphql(graphqlUrlOf(balancer.url), LOGIN, { variables: { input: { email: user.email, password: strongPassword() } } });
      expect(reasonIn(answer)).toBe('INVALID_CREDENTIALS');
      const servedBy = answer.headers.get(SERVED_BY_HEADER)!;
      failuresPerInstance[servedBy] = (failuresPerInstance[servedBy] ?? 0) + 1;
    }
    // Each instance saw fewer failures than lock an account: only counting them together locks it.
    expect(Object.keys(failuresPerInstance).sort()).toEqual(instances.map((instance) => instance.name));
    expect(Math.max(...Object.values(failuresPerInstance))).toBeLessThan(LOCK_AFTER);

    for (const instance of instances) {
      const answer = await postGraphql(graphqlUrlOf(instance.url), LOGIN, { variables: { input: { email: user.email, password: user.password } } });
      expect({ instance: instance.name, reason: reasonIn(answer) }).toEqual({ instance: instance.name, reason: 'RATE_LIMITED' });
    }
  });

  it('restarts every instance in turn under steady load without losing a request', async () => {
    const clients: LoadClient[] = [];
    for (let index = 0; index < LOAD_CLIENTS; index++) clients.push(await signUpThrough(balancer.url));
    const statsBefore = await balancer.stats();
    const started = performance.now();
    const load = startSteadyLoad(graphqlUrlOf(balancer.url), clients, LOAD_PAUSE_MILLISECONDS);
    const timings: string[] = [];
    let tally: LoadTally;
    try {
      await sleep(1_000);
      for (const instance of instances) timings.push(await restartUnderLoad(instance));
      await sleep(1_000);
    } finally {
      tally = await load.stop();
    }
    const statsAfter = await balancer.stats();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `rolling restart: ${tally.requests} requests (${tally.me} me, ${tally.refresh} refresh) in ${seconds.toFixed(1)} s through HAProxy, ` +
        `${tally.failures.length} failed, slowest ${tally.slowestMilliseconds.toFixed(0)} ms; served by ${JSON.stringify(tally.servedBy)}; ` +
        `HAProxy retries ${statsAfter.retries - statsBefore.retries}, redispatches ${statsAfter.redispatches - statsBefore.redispatches}, ` +
        `5xx ${statsAfter.serverErrors - statsBefore.serverErrors}\n  ${timings.join('\n  ')}`,
    );

    expect(tally.failures).toEqual([]);
    expect(statsAfter.serverErrors - statsBefore.serverErrors).toBe(0);
    // No request needed HAProxy to try again: none met an instance that had stopped accepting connections.
    expect(statsAfter.retries - statsBefore.retries).toBe(0);
    expect(statsAfter.redispatches - statsBefore.redispatches).toBe(0);
    expect(Object.keys(tally.servedBy).sort()).toEqual(instances.map((instance) => instance.name));
    expect(tally.requests).toBeGreaterThan(100);
  }, 120_000);
});

/**
 * SIGTERM: /readyz turns 503 at once while the instance still serves; HAProxy takes it out; it exits 0
 * after the drain; it starts again on its port and HAProxy takes it back. Returns the timings.
 */
async function restartUnderLoad(instance: Instance): Promise<string> {
  const signalled = performance.now();
  const exitCode = instance.service.stop();
  let readyStatus = 200;
  while (readyStatus === 200 && performance.now() - signalled < 1_000) readyStatus = (await fetch(`${instance.url}/readyz`)).status;
  expect(readyStatus).toBe(503);
  const notReadyAfter = performance.now() - signalled;
  // Still serving: HAProxy may not have seen the 503 yet, and whatever it sends must be answered.
  expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
  const downAfter = await balancer.waitForServer(instance.name, 'DOWN', 5_000).then((waited) => waited + notReadyAfter);
  expect(await exitCode).toBe(0);
  const exitedAfter = performance.now() - signalled;
  expect(problemLines(instance.service.output())).toEqual([]);
  expect(downAfter).toBeLessThan(DRAIN_SECONDS * 1000);

  const restarting = performance.now();
  instance.service = await startServiceProcess(build.mainScript, environment, { port: instance.port });
  const upAfter = await balancer.waitForServer(instance.name, 'UP', 10_000);
  const total = performance.now() - restarting + exitedAfter;
  expect(problemLines(instance.service.output())).toEqual([]);
  return `${instance.name}: /readyz 503 after ${notReadyAfter.toFixed(0)} ms, out of HAProxy after ${downAfter.toFixed(0)} ms, exited 0 after ${exitedAfter.toFixed(0)} ms, back in HAProxy ${(performance.now() - restarting).toFixed(0)} ms after restarting (${upAfter.toFixed(0)} ms after answering), ${total.toFixed(0)} ms in all`;
}
