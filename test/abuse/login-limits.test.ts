import { attemptLogin, signUp, strongPassword, uniqueClientIp, uniqueEmail } from '../support/factories';
import type { GraphQLResponse } from '../support/graphql-client';
import { extensionsOf, reasonIn, retryAfterIn } from '../support/graphql-errors';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Small numbers keep the tests fast; rate-limiter-flexible runs on real time, so the waits are real.
// The lock comes straight after the third failure here, with no back-off to wait out before it.
const LOCK_AFTER = 3;
const LOCK_SECONDS = 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
  });
});
afterAll(() => server.close());


/** Fails `count` logins on `email`, waiting out each back-off on the way, as a patient attacker would. */
async function failLogins(target: TestServer, email: string, count: number, ip: string): Promise<void> {
  for (let failed = 0; failed < count; ) {
    const response = await attemptLogin(target, { email, password: strongPassword() }, ip);
    const reason = reasonIn(response);
    if (reason === 'RATE_LIMITED') {
      await sleep(retryAfterIn(response)! * 1000 + 50);
    } else {
      expect(reason).toBe('INVALID_CREDENTIALS');
      failed += 1;
    }
  }
}

describe('back-off', () => {
  const BACKOFF_AFTER = 2;
  let backoff: TestServer;
  beforeAll(async () => {
    backoff = await startTestServer({ LOGIN_BACKOFF_AFTER_FAILURES: String(BACKOFF_AFTER), LOGIN_LOCK_AFTER_FAILURES: '10' });
  });
  afterAll(() => backoff.close());

  it('makes the client wait from the configured failure on, doubling the wait each time', async () => {
    const user = await signUp(backoff);
    const ip = uniqueClientIp();
    for (let failure = 1; failure <= BACKOFF_AFTER; failure++) {
      expect(reasonIn(await attemptLogin(backoff, { email: user.email, password: strongPassword() }, ip))).toBe('INVALID_CREDENTIALS');
    }

    const first = await attemptLogin(backoff, { email: user.email, password: user.password }, ip);
    expect(first.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED', retryAfter: 1 });

    await sleep(1_050);
    expect(reasonIn(await attemptLogin(backoff, { email: user.email, password: strongPassword() }, ip))).toBe('INVALID_CREDENTIALS');
    const second = await attemptLogin(backoff, { email: user.email, password: user.password }, ip);
    expect(extensionsOf(second)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    // 2 exactly, unless a slow machine crosses a second boundary between the two requests.
    expect([1, 2]).toContain(extensionsOf(second)?.retryAfter);

    await sleep(retryAfterIn(second)! * 1000 + 50);
    const response = await attemptLogin(backoff, { email: user.email, password: user.password }, ip);
    expect(response.errors).toBeUndefined();
  });
});

describe('failed logins per account', () => {
  it('locks the account after the configured failure, refusing even the right password', async () => {
    const user = await signUp(server);
    const ip = uniqueClientIp();

    await failLogins(server, user.email, LOCK_AFTER, ip);
    const response = await attemptLogin(server, { email: user.email, password: user.password }, ip);

    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(extensionsOf(response)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(extensionsOf(response)?.retryAfter).toBeGreaterThan(LOCK_SECONDS - 5);
    expect(extensionsOf(response)?.retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
  });

  it('records the lock once (LOCKED_OUT) and each refused attempt as LOGIN_FAILED with reason RATE_LIMITED', async () => {
    const user = await signUp(server);
    const ip = uniqueClientIp();

    await failLogins(server, user.email, LOCK_AFTER, ip);
    await attemptLogin(server, { email: user.email, password: user.password }, ip);
    await attemptLogin(server, { email: user.email, password: strongPassword() }, ip);

    const lockouts = await server.prisma.authEvent.findMany({ where: { type: 'LOCKED_OUT', userId: user.userId } });
    expect(lockouts).toEqual([expect.objectContaining({ ip, details: { lockSeconds: LOCK_SECONDS } })]);
    const refusals = await server.prisma.authEvent.count({ where: { type: 'LOGIN_FAILED', reason: 'RATE_LIMITED', userId: user.userId, ip } });
    expect(refusals).toBeGreaterThanOrEqual(2);
  });

  it('answers a locked unknown email exactly as it answers a locked real account', async () => {
    const user = await signUp(server);
    const unknownEmail = uniqueEmail('nobody');
    const ip = uniqueClientIp();
    await Promise.all([failLogins(server, user.email, LOCK_AFTER, ip), failLogins(server, unknownEmail, LOCK_AFTER, ip)]);

    const known = await attemptLogin(server, { email: user.email, password: user.password }, ip);
    const unknown = await attemptLogin(server, { email: unknownEmail, password: strongPassword() }, ip);

    expect(extensionsOf(known)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(unknown.status).toBe(known.status);
    expect(unknown.data).toEqual(known.data);
    // retryAfter is a number in both; which second it reads depends on when each lock began.
    const shape = (response: GraphQLResponse<unknown>) =>
      response.errors?.map((error) => ({ ...error, extensions: { ...error.extensions, retryAfter: typeof error.extensions?.retryAfter } }));
    expect(shape(unknown)).toEqual(shape(known));
  });

  it('locks a username whatever its case, as one key', async () => {
    const user = await signUp(server, { username: `Ada_${Date.now().toString(36)}` });
    const username = (await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).username!;
    const ip = uniqueClientIp();
    for (let failure = 1; failure <= LOCK_AFTER; failure++) {
      await attemptLogin(server, { username: failure % 2 ? username.toUpperCase() : username.toLowerCase(), password: strongPassword() }, ip);
    }

    const response = await attemptLogin(server, { username: username.toLowerCase(), password: user.password }, ip);

    expect(extensionsOf(response)?.reason).toBe('RATE_LIMITED');
  });

  it('forgets earlier failures after a successful login', async () => {
    const user = await signUp(server);
    const ip = uniqueClientIp();

    for (let round = 0; round < 3; round++) {
      await failLogins(server, user.email, LOCK_AFTER - 1, ip);
      const response = await attemptLogin(server, { email: user.email, password: user.password }, ip);
      expect(response.errors).toBeUndefined();
      expect(response.data!.login.__typename).toBe('AuthPayload');
    }
  });

  it('tries at most the lock threshold of passwords when attempts arrive all at once', async () => {
    const user = await signUp(server);
    const ip = uniqueClientIp();

    const burst = await Promise.all(Array.from({ length: 12 }, () => attemptLogin(server, { email: user.email, password: strongPassword() }, ip)));

    const reasons = burst.map((response) => extensionsOf(response)?.reason);
    const tried = reasons.filter((reason) => reason === 'INVALID_CREDENTIALS').length;
    expect(tried).toBeGreaterThanOrEqual(1);
    expect(tried).toBeLessThanOrEqual(LOCK_AFTER);
    expect(reasons.filter((reason) => reason === 'RATE_LIMITED')).toHaveLength(burst.length - tried);
    expect(await server.prisma.authEvent.count({ where: { type: 'LOGIN_FAILED', reason: 'WRONG_PASSWORD', userId: user.userId } })).toBe(tried);
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: user.password }, ip))).toBe('RATE_LIMITED');
  });
});

describe('a short lock and the per-IP limit', () => {
  const IP_MAX_FAILURES = 5;
  let shortLocks: TestServer;
  beforeAll(async () => {
    shortLocks = await startTestServer({
      LOGIN_BACKOFF_AFTER_FAILURES: '2',
      LOGIN_LOCK_AFTER_FAILURES: '2',
      LOGIN_LOCK_SECONDS: '1',
      LOGIN_IP_MAX_FAILURES: String(IP_MAX_FAILURES),
      LOGIN_IP_WINDOW_SECONDS: '900',
    });
  });
  afterAll(() => shortLocks.close());

  it('lets the right password in again once the lock has run out', async () => {
    const user = await signUp(shortLocks);
    const ip = uniqueClientIp();
    await failLogins(shortLocks, user.email, 2, ip);
    expect(extensionsOf(await attemptLogin(shortLocks, { email: user.email, password: user.password }, ip))).toMatchObject({
      reason: 'RATE_LIMITED',
      retryAfter: 1,
    });

    await sleep(1_100);
    const response = await attemptLogin(shortLocks, { email: user.email, password: user.password }, ip);

    expect(response.errors).toBeUndefined();
    expect(response.data!.login.__typename).toBe('AuthPayload');
  });

  it('refuses every login from an IP with too many failures across accounts, and only from that IP', async () => {
    const user = await signUp(shortLocks);
    const attacker = uniqueClientIp();
    for (let failure = 0; failure < IP_MAX_FAILURES; failure++) {
      expect(reasonIn(await attemptLogin(shortLocks, { email: uniqueEmail('sprayed'), password: strongPassword() }, attacker))).toBe(
        'INVALID_CREDENTIALS',
      );
    }

    const fromAttacker = await attemptLogin(shortLocks, { email: user.email, password: user.password }, attacker);
    const fromElsewhere = await attemptLogin(shortLocks, { email: user.email, password: user.password }, uniqueClientIp());

    expect(extensionsOf(fromAttacker)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(extensionsOf(fromAttacker)?.retryAfter).toBeGreaterThan(890);
    expect(fromElsewhere.errors).toBeUndefined();
  });

  it('does not hold successful logins against the IP', async () => {
    const user = await signUp(shortLocks);
    const ip = uniqueClientIp();

    for (let attempt = 0; attempt < IP_MAX_FAILURES + 2; attempt++) {
      const response = await attemptLogin(shortLocks, { email: user.email, password: user.password }, ip);
      expect(response.errors).toBeUndefined();
    }
  });
});
