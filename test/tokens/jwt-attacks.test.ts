import { createSign, randomUUID } from 'node:crypto';
import http from 'node:http';
import { ME } from '../support/documents';
import type { SignedUpUser } from '../support/factories';
import { expectAccessTokenRefused, presentToMe } from '../support/presenting-tokens';
import { startRs256Server } from '../support/rs256-server';
import type { PemKeyPair } from '../support/signing-keys';
import type { TestServer } from '../support/test-server';
import { base64url, decodeJwtPayload } from '../support/tokens';

/**
 * Access tokens an attacker (or a misconfigured sibling service) can present, beyond forged-tokens.test.ts
 * (alg none, HS256 with the public key, strangers' keys, a non-string kid, a tampered payload, expiry,
 * the old HS256 key). Most tokens here are signed with the server's *own* private key: each differs from
 * a genuine token in exactly one claim or header, so the refusal can only come from the check under test.
 */
let server: TestServer;
let keyPair: PemKeyPair;
let kid: string;
let user: SignedUpUser;
beforeAll(async () => {
  ({ server, keyPair, kid, user } = await startRs256Server());
});
afterAll(() => server.close());

const nowSeconds = () => Math.floor(server.clock.now().getTime() / 1000);

/**
 * The user's genuine claims with `changes` applied (undefined removes a claim), signed RS256 with the
 * server's key. Signed by hand: jsonwebtoken's sign() refuses some of the malformed claims tested here.
 */
function signWithServerKey(changes: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const claims: Record<string, unknown> = { ...decodeJwtPayload(user.accessToken), ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
  const fullHeader: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt', kid, ...header };
  for (const [name, value] of Object.entries(header)) if (value === undefined) delete fullHeader[name];
  return signRaw(JSON.stringify(fullHeader), JSON.stringify(claims));
}

/** header.payload, both taken verbatim, with a valid RS256 signature by the server's key. */
function signRaw(headerJson: string, payloadJson: string): string {
  const signingInput = `${base64url(headerJson)}.${base64url(payloadJson)}`;
  return `${signingInput}.${createSign('RSA-SHA256').update(signingInput).sign(keyPair.privateKey).toString('base64url')}`;
}

const signWithServerKeyRaw = (payloadJson: string): string => signRaw(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid }), payloadJson);

describe('a token signed with the server’s own key', () => {
  it('is accepted when nothing is changed (the control: the cases below differ only where they say)', async () => {
    expect((await presentToMe(server, signWithServerKey())).data?.me).toEqual({ id: user.userId, email: user.email });
  });

  it('is accepted with nbf and iat in the future within the clock tolerance', async () => {
    const withinTolerance = nowSeconds() + server.config.tokens.clockToleranceSeconds - 2;

    const response = await presentToMe(server, signWithServerKey({ nbf: withinTolerance, iat: withinTolerance }));

    expect(response.data?.me).toEqual({ id: user.userId, email: user.email });
  });

  it.each(['nbf', 'iat'])('is refused while not yet valid: %s beyond the clock tolerance', async (claim) => {
    const future = nowSeconds() + server.config.tokens.clockToleranceSeconds + 60;
    // Keep exp after the future instant, so nothing but the one claim is wrong.
    const token = signWithServerKey({ [claim]: future, exp: future + server.config.tokens.accessTokenTtlSeconds });

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused with TOKEN_EXPIRED once exp is past the tolerance, and accepted just within it', async () => {
    const tolerance = server.config.tokens.clockToleranceSeconds;

    expectAccessTokenRefused(await presentToMe(server, signWithServerKey({ exp: nowSeconds() - tolerance - 2 })), 'TOKEN_EXPIRED');
    expect((await presentToMe(server, signWithServerKey({ exp: nowSeconds() - tolerance + 2 }))).data?.me?.id).toBe(user.userId);
  });

  it.each([
    ['without exp', { exp: undefined }],
    ['with exp that is not a number', { exp: 'never' }],
    ['with another issuer', { iss: 'https://evil.example' }],
    ['without an issuer', { iss: undefined }],
    ['for another audience', { aud: 'some-other-service' }],
    ['for a list of audiences that lacks this one', { aud: ['reviews', 'billing'] }],
    ['without an audience', { aud: undefined }],
    ['with a sub that is no id', { sub: "' OR 1=1 --" }],
    ['with a sid that is an object', { sid: { $ne: null } }],
    ['without a jti', { jti: undefined }],
  ])('is refused %s', async (_case, changes) => {
    expectAccessTokenRefused(await presentToMe(server, signWithServerKey(changes)));
  });

  it('is refused when it names a session that does not exist', async () => {
    const response = await presentToMe(server, signWithServerKey({ sid: randomUUID() }));

    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data?.me ?? null).toBeNull();
  });

  it.each([
    ['typ "JWT"', { typ: 'JWT' }],
    ['no typ', { typ: undefined }],
    ['the type of an ID token ("id_token+jwt")', { typ: 'id_token+jwt' }],
  ])('is refused with %s in its header: only an access token is an access token', async (_case, header) => {
    const token = signWithServerKey({}, header);
    if (header.typ === undefined) expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).not.toHaveProperty('typ');

    expectAccessTokenRefused(await presentToMe(server, token));
  });
});

describe('a token whose header names no key the server has', () => {
  it.each([
    ['an unknown kid', 'f'.repeat(43)],
    ['an empty kid', ''],
    ['a kid shaped like a path', '../../../../etc/passwd'],
    ['a kid naming an Object.prototype property', '__proto__'],
    ['a kid naming a constructor', 'constructor'],
    ['a kid of 4 KB', 'k'.repeat(4096)],
  ])('is refused with %s, even though the server’s key signed it', async (_case, unknownKid) => {
    expectAccessTokenRefused(await presentToMe(server, signWithServerKey({}, { kid: unknownKid })));
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('is refused with alg %j and no kid (the spellings verifiers have missed)', async (alg) => {
    const token = `${base64url({ alg, typ: 'at+jwt' })}.${base64url(decodeJwtPayload(user.accessToken))}.`;

    expectAccessTokenRefused(await presentToMe(server, token));
  });
});

describe('a token that is not a well-formed JWT', () => {
  it.each([
    ['two segments', () => `${base64url({ alg: 'RS256', typ: 'at+jwt', kid })}.${base64url({ sub: user.userId })}`],
    ['four segments', () => `${user.accessToken}.${user.accessToken.split('.')[2]}`],
    ['a header that is not JSON', () => `${base64url('{"alg":')}.${user.accessToken.split('.').slice(1).join('.')}`],
    ['a header that is a JSON string', () => `${base64url('"RS256"')}.${user.accessToken.split('.').slice(1).join('.')}`],
    ['a payload that is a JSON array', () => signWithServerKeyRaw('[1,2,3]')],
    ['a payload that is a JSON number', () => signWithServerKeyRaw('42')],
    ['a payload nested 5,000 arrays deep', () => signWithServerKeyRaw(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
    ['a signature that is not base64url', () => `${user.accessToken.split('.').slice(0, 2).join('.')}.!!!***`],
    ['an empty signature under RS256', () => `${user.accessToken.split('.').slice(0, 2).join('.')}.`],
    ['10 KB of dots', () => '.'.repeat(10_000)],
  ])('is refused with %s, as a bad token and not as a server error', async (_case, token) => {
    expectAccessTokenRefused(await presentToMe(server, token()));
  });
});

/** POSTs with an Authorization header of the given size over plain node:http, which sends whatever it is given. */
function postWithHugeAuthorization(token: string): Promise<{ status: number | undefined; error: Error | null }> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, error: null }));
      },
    );
    // The server may answer 431 and close before it has read the whole header: a reset after that is expected.
    request.on('error', (error) => resolve({ status: undefined, error }));
    request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
    request.end(JSON.stringify({ query: ME }));
  });
}

describe('a 1 MB token', () => {
  it('is answered by the HTTP layer with 431 (never a 5xx), and the server keeps serving', async () => {
    const huge = `${base64url({ alg: 'RS256', typ: 'at+jwt', kid })}.${'A'.repeat(1024 * 1024)}.sig`;

    const outcome = await postWithHugeAuthorization(huge);

    // Node refuses headers over its limit (16 KB) with 431; the connection may be reset before the answer is read.
    if (outcome.error) expect(outcome.error.message).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    else expect(outcome.status).toBe(431);
    expect((await presentToMe(server, user.accessToken)).data?.me?.id).toBe(user.userId);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('is verified like any other just under the header limit (a 12 KB token), and refused once tampered with', async () => {
    const large = signWithServerKey({ padding: 'p'.repeat(8 * 1024) });
    expect(large.length).toBeGreaterThan(11 * 1024);

    // Signed by the server's key and otherwise genuine: a big token is not a wrong one, and it verifies.
    const response = await presentToMe(server, large);
    expect(response.status).toBeLessThan(500);
    expect(response.data?.me?.id).toBe(user.userId);

    const tampered = large.replace(/\.([^.]+)\./, (_match, payload: string) => `.${payload.slice(0, -4)}AAAA.`);
    expectAccessTokenRefused(await presentToMe(server, tampered));
  });
});
