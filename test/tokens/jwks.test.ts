import { decodeProtectedHeader } from 'jose';
import { JWKS_MAX_AGE_SECONDS } from '../../src/http/jwks';
import { ME } from '../support/documents';
import type { AuthPayload } from '../support/documents';
import { signUp } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { fetchJwks, verifyAsAnotherService } from '../support/jwks';
import { generateEcKeyPair, generateRsaKeyPair, onOneLine, thumbprintOf } from '../support/signing-keys';
import type { PemKeyPair } from '../support/signing-keys';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

describe('the JWKS endpoint while HS256 signs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('publishes an empty key set: a symmetric key is never published', async () => {
    const { response, body } = await fetchJwks(server);

    expect(response.status).toBe(200);
    expect(body).toEqual({ keys: [] });
  });

  it('still names the signing key in every token, by a kid that says nothing about the secret', async () => {
    const user = await signUp(server);

    const header = decodeProtectedHeader(user.accessToken);

    expect(header).toMatchObject({ alg: 'HS256', typ: 'at+jwt', kid: expect.stringMatching(/^hs256-[\w-]{16}$/) });
  });
});

describe.each([
  ['RSA', 'RS256', () => generateRsaKeyPair(), { kty: 'RSA', n: expect.any(String), e: 'AQAB' }],
  ['EC P-256', 'ES256', () => generateEcKeyPair(), { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) }],
])('with an %s private key configured', (_keyType, algorithm, generateKeyPair, publicMembers) => {
  let server: TestServer;
  let keyPair: PemKeyPair;
  beforeAll(async () => {
    keyPair = generateKeyPair();
    // On one line with "\n" escapes, as it would arrive from most deployment tools.
    server = await startTestServer({ JWT_PRIVATE_KEY: onOneLine(keyPair.privateKey) });
  });
  afterAll(() => server.close());

  it(`publishes its public key with kid = RFC 7638 thumbprint, use sig, alg ${algorithm} and nothing private`, async () => {
    const { response, body } = await fetchJwks(server);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe(`public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    expect(body.keys).toEqual([{ ...publicMembers, kid: await thumbprintOf(keyPair.publicKey), use: 'sig', alg: algorithm }]);
  });

  it(`signs access tokens with ${algorithm} under that kid, verifiable by another service from the JWKS alone`, async () => {
    const user = await signUp(server);

    const { payload, protectedHeader } = await verifyAsAnotherService(server, user.accessToken);

    expect(protectedHeader).toEqual({ alg: algorithm, typ: 'at+jwt', kid: await thumbprintOf(keyPair.publicKey) });
    expect(payload).toMatchObject({ sub: user.userId, acc: user.accountId, role: 'owner' });
  });

  it('accepts its own tokens on the API', async () => {
    const user = await signUp(server);

    const response = await server.graphql(ME, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });

  it('never writes its private key to the log', async () => {
    await signUp(server);

    const keyBody = keyPair.privateKey.split('\n')[1]!;
    expect(server.logs.join('')).not.toContain(keyBody);
  });

  it('re-issues the same token claims for a just-rotated refresh token in the grace window', async () => {
    const user = await signUp(server);
    const refresh = typedDocument<{ refreshToken: Pick<AuthPayload, 'accessToken' | 'refreshToken'> }>(
      `mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken } }`,
    );

    const first = await server.graphql(refresh, { input: { refreshToken: user.refreshToken } });
    const again = await server.graphql(refresh, { input: { refreshToken: user.refreshToken } });

    const [firstToken, againToken] = [first.data!.refreshToken.accessToken, again.data!.refreshToken.accessToken];
    expect(again.data!.refreshToken.refreshToken).toBe(first.data!.refreshToken.refreshToken);
    const signingInput = (token: string) => token.split('.').slice(0, 2).join('.');
    expect(signingInput(againToken)).toBe(signingInput(firstToken));
    expect(decodeJwtPayload(againToken).scope).toEqual(expect.any(String));
    if (algorithm === 'RS256') {
      // RSASSA-PKCS1-v1_5 is deterministic: the very same token.
      expect(againToken).toBe(firstToken);
    } else {
      // ECDSA signatures are randomized; both must verify.
      await expect(verifyAsAnotherService(server, againToken)).resolves.toBeDefined();
    }
  });
});
