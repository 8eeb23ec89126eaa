import { CHANGE_PASSWORD, ENABLE_TOTP, LOGIN } from '../support/documents';
import { attemptLogin, signUp, strongPassword } from '../support/factories';
import { reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Every check of a password is a guess, wherever it is made: counted per user once the identifier
// names one (email and username share one budget), through the same lock and the same hashing queue.

const LOCK_AFTER = 3;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    LOGIN_BACKOFF_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_AFTER_FAILURES: String(LOCK_AFTER),
    LOGIN_LOCK_SECONDS: '600',
  });
});
afterAll(() => server.close());


describe('one budget of password guesses per user', () => {
  it('locks changePassword after the configured wrong current passwords, and the right one no longer helps', async () => {
    const user = await signUp(server);
    const change = (currentPassword: string) =>
      server.graphql(CHANGE_PASSWORD, { currentPassword, newPassword: strongPassword() }, { token: user.accessToken });
    for (let guess = 0; guess < LOCK_AFTER; guess++) expect(reasonIn(await change(strongPassword()))).toBe('INVALID_CREDENTIALS');

    const right = await change(user.password);

    expect(right.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect((await server.prisma.authEvent.count({ where: { userId: user.userId, type: 'LOCKED_OUT' } }))).toBe(1);
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');
  });

  it('counts wrong passwords at enableTotp against the same budget', async () => {
    const user = await signUp(server);
    for (let guess = 0; guess < LOCK_AFTER; guess++) {
      expect(reasonIn(await server.graphql(ENABLE_TOTP, { currentPassword: strongPassword() }, { token: user.accessToken }))).toBe('INVALID_CREDENTIALS');
    }

    expect(reasonIn(await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken }))).toBe('RATE_LIMITED');
    expect((await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).totpPendingSecret).toBeNull();
  });

  it('adds wrong logins by email and by username up to one lock, not one each', async () => {
    const username = `both-ways-${Date.now().toString(36)}`;
    const user = await signUp(server, { username });
    await attemptLogin(server, { email: user.email, password: strongPassword() });
    await attemptLogin(server, { username, password: strongPassword() });
    await attemptLogin(server, { email: user.email.toUpperCase(), password: strongPassword() });

    expect(reasonIn(await attemptLogin(server, { username, password: user.password }))).toBe('RATE_LIMITED');
    expect(reasonIn(await attemptLogin(server, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');
  });

  it('locks an email nobody has after the same number of guesses, so a lock tells nothing', async () => {
    const email = `nobody-${Date.now().toString(36)}@example.test`;
    for (let guess = 0; guess < LOCK_AFTER; guess++) expect(reasonIn(await attemptLogin(server, { email, password: strongPassword() }))).toBe('INVALID_CREDENTIALS');

    expect(reasonIn(await attemptLogin(server, { email, password: strongPassword() }))).toBe('RATE_LIMITED');
  });
});

describe('successful logins', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ LOGIN_IP_MAX_SUCCESSES: '3', MAX_SESSIONS_PER_USER: '2' });
  });
  afterAll(() => limited.close());

  const loginFrom = (user: { email: string; password: string }, ip: string) =>
    limited.graphql(LOGIN, { input: { email: user.email, password: user.password } }, { headers: { 'x-forwarded-for': ip } });

  it('are limited per client IP, generously, before any password is hashed', async () => {
    const users = [await signUp(limited), await signUp(limited)];
    for (const user of [...users, users[0]!]) expect((await loginFrom(user, '203.0.113.77')).errors).toBeUndefined();

    const refused = await loginFrom(users[1]!, '203.0.113.77');

    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect((await loginFrom(users[1]!, '203.0.113.78')).errors).toBeUndefined();
  });

  it("never leave more live sessions than MAX_SESSIONS_PER_USER: a new one ends the user's oldest", async () => {
    const user = await signUp(limited);
    const first = await loginFrom(user, '203.0.113.90');
    await loginFrom(user, '203.0.113.91');
    await loginFrom(user, '203.0.113.92');

    const live = await limited.prisma.session.findMany({ where: { userId: user.userId, revokedAt: null } });
    const ended = await limited.prisma.session.findMany({ where: { userId: user.userId, revokedReason: 'SESSION_LIMIT' } });
    expect(live).toHaveLength(2);
    expect(ended).toHaveLength(2);
    expect((await limited.graphql(`{ me { id } }`, {}, { token: first.data!.login.accessToken })).errors?.[0]?.extensions).toMatchObject({ reason: 'SESSION_REVOKED' });
  });
});
