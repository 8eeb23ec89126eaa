import { SIGN_UP } from '../support/documents';
import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('signUp', () => {
  it('creates the user, their own account with them as its guest until verified, and a session', async () => {
    const response = await server.graphql(SIGN_UP, {
      input: { email: '  Ada.Lovelace@EXAMPLE.test ', password: strongPassword(), username: 'Ada_L', accountName: 'Analytical Engines' },
    });

    expect(response.errors).toBeUndefined();
    const payload = response.data!.signUp;
    expect(payload).toMatchObject({
      tokenType: 'Bearer',
      role: 'guest',
      user: { email: 'ada.lovelace@example.test', username: 'Ada_L', emailVerified: false },
      account: { name: 'Analytical Engines' },
      access: [],
    });
    expect(response.headers.get('cache-control')).toBe('no-store');

    const membership = await server.prisma.membership.findUniqueOrThrow({
      where: { userId_accountId: { userId: payload.user.id, accountId: payload.account.id } },
    });
    expect(membership.roleName).toBe('guest');
    const user = await server.prisma.user.findUniqueOrThrow({ where: { id: payload.user.id } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await server.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it('makes the user owner of their account once they verify their email', async () => {
    const user = await signUp(server);
    const membership = await server.prisma.membership.findUniqueOrThrow({ where: { userId_accountId: { userId: user.userId, accountId: user.accountId } } });
    expect(membership.roleName).toBe('owner');
  });

  it('stores the email normalized (NFKC, lower case) so a differently typed duplicate is refused', async () => {
    const email = uniqueEmail('ｆｕｌｌｗｉｄｔｈ');
    await signUp(server, { email });
    const response = await server.graphql(SIGN_UP, { input: { email: email.toUpperCase().normalize('NFKC'), password: strongPassword() } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email', reason: 'EMAIL_TAKEN' });
  });

  it('refuses a username that differs from a taken one only by case', async () => {
    await signUp(server, { username: 'Grace_H' });
    const response = await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: strongPassword(), username: 'grace_h' } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username', reason: 'USERNAME_TAKEN' });
  });

  it.each([
    ['too short', 'Xy7-short'],
    ['a common password', 'passwordpassword'],
    ['a keyboard walk', 'qwertyuiop1234'],
    ['the email itself', 'katherine.johnson1918'],
  ])('refuses %s as a password', async (_case, password) => {
    const before = await server.prisma.user.count();
    const response = await server.graphql(SIGN_UP, { input: { email: 'katherine.johnson1918@example.test', password } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', reason: 'WEAK_PASSWORD' });
    expect(await server.prisma.user.count()).toBe(before);
  });

  it('refuses a password over 256 characters before hashing it', async () => {
    const response = await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: 'a'.repeat(40_000) } });
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('answers a one-megabyte body with a 413 in the GraphQL error shape, not a crash', async () => {
    const response = await server.post(JSON.stringify({ query: SIGN_UP, variables: { input: { email: uniqueEmail(), password: 'a'.repeat(1_048_576) } } }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] });
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a username with spaces', { username: 'two words' }, 'username'],
    ['an account name of control characters', { accountName: '\u0000\u0007' }, 'accountName'],
    // Stored as UTF-8 it would silently become U+FFFD: a different name from the one sent.
    ['an account name with a lone surrogate', { accountName: 'Workshop \uD800' }, 'accountName'],
    ['a password with a lone surrogate', { password: `${strongPassword()}\uDC00` }, 'password'],
    ['a client id with spaces', { clientId: 'my client' }, 'clientId'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, overrides, field) => {
    const response = await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: strongPassword(), ...overrides } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
