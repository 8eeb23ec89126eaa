import { LOGIN, SIGN_UP } from '../support/documents';
import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Usernames that pass for others: mixed scripts are refused, and look-alikes (Unicode's confusable
// skeleton) count as taken. Each test uses names of its own, so they run alone and in any order.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const signUpAs = (username: string, email = uniqueEmail()) => server.graphql(SIGN_UP, { input: { email, password: strongPassword(), username } });

describe('usernames that mix scripts', () => {
  it.each([
    ['a Cyrillic "а" in "admin"', '\u0430dmin'],
    ['Latin with a Greek "β"', 'alpha_\u03b2eta'],
    ['Hangul with Hiragana', '\uae40\ucca0\uc218\u305f\u308d\u3046'],
  ])('refuses %s with BAD_USER_INPUT naming the username, and writes no user', async (_case, username) => {
    const email = uniqueEmail('mixed');

    const response = await signUpAs(username, email);

    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username', reason: 'INVALID_VALUE' });
    expect(response.data?.signUp ?? null).toBeNull();
    expect(await server.prisma.user.count({ where: { email } })).toBe(0);
  });
});

describe('usernames that look like a taken one', () => {
  it.each([
    ['all in Cyrillic', 'scope', '\u0455\u0441\u043e\u0440\u0435'],
    ['all in Cyrillic capitals', 'Spec', '\u0405\u0420\u0415\u0421'],
    ['with "rn" for "m"', 'warm', 'warrn'],
    ['with "1" for "l"', 'pal_l', 'pal_1'],
  ])('refuses one %s as USERNAME_TAKEN and writes no user', async (_case, taken, lookAlike) => {
    await signUp(server, { username: taken });
    const email = uniqueEmail('look-alike');
    const usersBefore = await server.prisma.user.count();

    const response = await signUpAs(lookAlike, email);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username', reason: 'USERNAME_TAKEN' });
    expect(await server.prisma.user.count({ where: { email } })).toBe(0);
    expect(await server.prisma.user.count()).toBe(usersBefore);
  });

  it('does not log the look-alike into the user whose name it imitates', async () => {
    const user = await signUp(server, { username: 'hope_x' });

    // The Cyrillic look-alike, with the real user's password: login goes by the exact (lower-cased) name.
    const lookAlike = await server.graphql(LOGIN, { input: { username: '\u04bb\u043e\u0440\u0435_\u0445', password: user.password } });
    const exact = await server.graphql(LOGIN, { input: { username: 'Hope_X', password: user.password } });

    expect(lookAlike.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(exact.errors).toBeUndefined();
    expect(exact.data!.login).toMatchObject({ __typename: 'AuthPayload', user: { id: user.userId } });
  });
});

describe('usernames in one script', () => {
  it.each([
    ['Cyrillic', '\u0430\u0434\u043c\u0438\u043d'],
    ['Greek', '\u0391\u03b8\u03b7\u03bd\u03ac'],
    ['Japanese: Han, Hiragana and digits', '\u5c71\u7530\u305f\u308d\u3046_2024'],
    ['Japanese with Latin', 'Tar\u014d\u5c71\u7530'],
    ['Korean with Latin', '\uae40\ucca0\uc218kim'],
  ])('accepts %s and logs in by it', async (_case, username) => {
    const user = await signUp(server, { username });

    const response = await server.graphql(LOGIN, { input: { username, password: user.password } });

    expect(response.errors).toBeUndefined();
    expect(response.data!.login).toMatchObject({ __typename: 'AuthPayload', user: { id: user.userId, username } });
  });
});
