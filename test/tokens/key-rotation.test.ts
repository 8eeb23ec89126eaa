import { decodeProtectedHeader } from 'jose';
import { ME } from '../support/documents';
import { signUp } from '../support/factories';
import type { GraphQLResponse } from '../support/graphql-client';
import { fetchJwks, verifyAsAnotherService } from '../support/jwks';
import { presentRefreshToken } from '../support/presenting-tokens';
import { generateEcKeyPair, generateRsaKeyPair, thumbprintOf } from '../support/signing-keys';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// One database across restarts, as in production: sessions survive, only the key configuration changes.
let database: TestDatabase;
let running: TestServer | null = null;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await running?.close();
  running = null;
});
afterAll(() => database.drop());

// Each test starts the service two or three times: about 5 s alone, 15 s beside another jest worker
// on two cores, and it once passed the default 30 s on a slower CI machine.
const RESTARTING_TEST_TIMEOUT_MILLISECONDS = 90_000;

/** Stops the running server (if any) and starts the service again on the same database with `environment`. */
async function restartWith(environment: Record<string, string>): Promise<TestServer> {
  await running?.close();
  running = await startTestServer(environment, { database });
  return running;
}

const publishedKids = async (server: TestServer) => (await fetchJwks(server)).body.keys.map((key) => key.kid).sort();

const expectInvalidToken = (response: GraphQLResponse<unknown>) => {
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
};

describe('rotating the signing key', () => {
  it('publishes the next key early, keeps the old key verifying after the switch, and refuses its tokens once removed', async () => {
    const oldKey = generateRsaKeyPair();
    const newKey = generateEcKeyPair();
    const [oldKid, newKid] = [await thumbprintOf(oldKey.publicKey), await thumbprintOf(newKey.publicKey)];

    // 1. Pre-publish: the old key signs, the next one is already in the JWKS for verifiers to cache.
    let server = await restartWith({ JWT_PRIVATE_KEY: oldKey.privateKey, JWT_PREVIOUS_PUBLIC_KEYS: newKey.publicKey });
    expect(await publishedKids(server)).toEqual([oldKid, newKid].sort());
    const user = await signUp(server);
    expect(decodeProtectedHeader(user.accessToken).kid).toBe(oldKid);

    // 2. Switch: the new key signs, the old one only verifies.
    server = await restartWith({ JWT_PRIVATE_KEY: newKey.privateKey, JWT_PREVIOUS_PUBLIC_KEYS: oldKey.publicKey });
    expect(await publishedKids(server)).toEqual([oldKid, newKid].sort());
    expect((await server.graphql(ME, {}, { token: user.accessToken })).data!.me).toEqual({ id: user.userId, email: user.email });
    await expect(verifyAsAnotherService(server, user.accessToken)).resolves.toMatchObject({ protectedHeader: { kid: oldKid } });
    const refreshed = await presentRefreshToken(server, user.refreshToken);
    const newPair = refreshed.data!.refreshToken as { accessToken: string; refreshToken: string };
    expect(decodeProtectedHeader(newPair.accessToken)).toMatchObject({ alg: 'ES256', kid: newKid });

    // 3. Once the old key's tokens have expired, it is removed: what it signed no longer verifies anywhere.
    server = await restartWith({ JWT_PRIVATE_KEY: newKey.privateKey });
    expect(await publishedKids(server)).toEqual([newKid]);
    expectInvalidToken(await server.graphql(ME, {}, { token: user.accessToken }));
    await expect(verifyAsAnotherService(server, user.accessToken)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect((await server.graphql(ME, {}, { token: newPair.accessToken })).data!.me).toEqual({ id: user.userId, email: user.email });
  }, RESTARTING_TEST_TIMEOUT_MILLISECONDS);

  it('moves from HS256 to an asymmetric key: HS256 tokens are refused, and the refresh token gets a new one', async () => {
    const key = generateRsaKeyPair();

    let server = await restartWith({});
    const user = await signUp(server);
    expect(decodeProtectedHeader(user.accessToken).alg).toBe('HS256');

    server = await restartWith({ JWT_PRIVATE_KEY: key.privateKey });
    expectInvalidToken(await server.graphql(ME, {}, { token: user.accessToken }));
    const refreshed = await presentRefreshToken(server, user.refreshToken);

    expect(refreshed.errors).toBeUndefined();
    const accessToken = refreshed.data!.refreshToken.accessToken as string;
    await expect(verifyAsAnotherService(server, accessToken)).resolves.toMatchObject({ payload: { sub: user.userId } });
  }, RESTARTING_TEST_TIMEOUT_MILLISECONDS);
});
