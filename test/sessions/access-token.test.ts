import jwt from 'jsonwebtoken';
import type { JwtPayload } from 'jsonwebtoken';
import { deriveTokenKeys } from '../../src/tokens/keys';
import { ME } from '../support/documents';
import type { Permission } from '../support/documents';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { expectAccessTokenRefused } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { base64url, decodeJwtPayload } from '../support/tokens';

const CURRENT_SESSION = typedDocument<{
  currentSession: { id: string; role: string; access: Permission[]; expiresAt: string; clientId: string | null; account: { id: string; name: string } } | null;
}>(`query CurrentSession {
  currentSession { id role access { feature access } expiresAt clientId account { id name } }
}`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Signs `claims` as the server would (derived key, HS256, typ at+jwt) unless told otherwise. */
function forge(claims: object, options: { key?: jwt.Secret; algorithm?: jwt.Algorithm; typ?: string } = {}): string {
  const key = options.key ?? deriveTokenKeys(server.config.tokens.secret).accessToken;
  const algorithm = options.algorithm ?? 'HS256';
  return jwt.sign(claims, key, { algorithm, header: { alg: algorithm, typ: options.typ ?? 'at+jwt' } });
}

/** The user's own access token with some claims changed (undefined removes one), correctly signed. */
function withClaims(user: SignedUpUser, changes: Record<string, unknown>): string {
  const claims: Record<string, unknown> = { ...decodeJwtPayload(user.accessToken), ...changes };
  return forge(Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)));
}

describe('the bearer access token', () => {
  it('identifies the user for me', async () => {
    const user = await signUp(server);

    const response = await server.graphql(ME, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });

  it('describes the session for currentSession', async () => {
    const user = await signUp(server, { accountName: 'Jacquard Looms', clientId: 'web-console' });

    const response = await server.graphql(CURRENT_SESSION, {}, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    const session = await server.prisma.session.findFirstOrThrow({ where: { userId: user.userId } });
    const info = response.data!.currentSession!;
    expect(info).toMatchObject({
      id: session.id,
      role: 'owner',
      clientId: 'web-console',
      account: { id: user.accountId, name: 'Jacquard Looms' },
    });
    expect(new Date(info.expiresAt).getTime()).toBe(session.idleExpiresAt.getTime());
    expect(info.access).toEqual(expect.arrayContaining([{ feature: 'members', access: 'crud' }]));
  });

  it('answers me and currentSession with null when no Authorization header is sent', async () => {
    const response = await server.graphql(`{ me { id email } currentSession { id } }`);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: null, currentSession: null });
  });

  it('is typed at+jwt and carries sub, sid, acc, role, iss, aud, iat, exp and jti', async () => {
    const user = await signUp(server);
    const session = await server.prisma.session.findFirstOrThrow({ where: { userId: user.userId } });

    const decoded = jwt.decode(user.accessToken, { complete: true })!;

    expect(decoded.header).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    const claims = decoded.payload as JwtPayload;
    expect(claims).toMatchObject({
      sub: user.userId,
      sid: session.id,
      acc: user.accountId,
      role: 'owner',
      iss: server.config.tokens.issuer,
      aud: server.config.tokens.audience,
    });
    expect(claims.exp! - claims.iat!).toBe(server.config.tokens.accessTokenTtlSeconds);
    expect(typeof claims.jti).toBe('string');
    expect(claims.jti).not.toBe('');
  });

  it('is still accepted within the clock tolerance after its expiry', async () => {
    const user = await signUp(server);
    const { accessTokenTtlSeconds, clockToleranceSeconds } = server.config.tokens;
    server.clock.advance(accessTokenTtlSeconds + clockToleranceSeconds - 2);

    const response = await server.graphql(ME, {}, { token: user.accessToken });

    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });

  it('is refused with TOKEN_EXPIRED once expired, even after it was accepted (a verified token is remembered, its expiry is not)', async () => {
    const user = await signUp(server);
    const { accessTokenTtlSeconds, clockToleranceSeconds } = server.config.tokens;
    expect((await server.graphql(ME, {}, { token: user.accessToken })).data!.me).toEqual({ id: user.userId, email: user.email });
    server.clock.advance(accessTokenTtlSeconds + clockToleranceSeconds - 2);
    expect((await server.graphql(ME, {}, { token: user.accessToken })).data!.me).toEqual({ id: user.userId, email: user.email });

    server.clock.advance(3);

    expectAccessTokenRefused(await server.graphql(ME, {}, { token: user.accessToken }), 'TOKEN_EXPIRED');
  });

  it('is refused once expired with TOKEN_EXPIRED rather than treated as anonymous', async () => {
    const user = await signUp(server);
    const { accessTokenTtlSeconds, clockToleranceSeconds } = server.config.tokens;
    server.clock.advance(accessTokenTtlSeconds + clockToleranceSeconds + 1);

    expectAccessTokenRefused(await server.graphql(ME, {}, { token: user.accessToken }), 'TOKEN_EXPIRED');
    const session = await server.graphql(CURRENT_SESSION, {}, { token: user.accessToken });
    expect(session.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
  });

  it('is accepted when re-signed unchanged with the derived key (so the forgeries below differ only where they say)', async () => {
    const user = await signUp(server);

    const response = await server.graphql(ME, {}, { token: withClaims(user, {}) });

    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });
});

describe('a bearer that is not a genuine access token', () => {
  const forgeries: [string, (user: SignedUpUser) => string][] = [
    ['a garbage string', () => 'not-a-jwt-at-all'],
    ['a token with alg "none"', (user) => `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(decodeJwtPayload(user.accessToken))}.`],
    ['a token signed HS256 with a different secret', (user) => forge(decodeJwtPayload(user.accessToken), { key: 'a-different-secret-0123456789-abcdefghijklmnop' })],
    ['a token signed with the configured secret instead of the derived key', (user) => forge(decodeJwtPayload(user.accessToken), { key: server.config.tokens.secret })],
    ['a token signed HS512 with the right key', (user) => forge(decodeJwtPayload(user.accessToken), { algorithm: 'HS512' })],
    ['a token with the wrong issuer', (user) => withClaims(user, { iss: 'someone-else' })],
    ['a token with the wrong audience', (user) => withClaims(user, { aud: 'another-api' })],
    ['a token without exp', (user) => withClaims(user, { exp: undefined })],
    ['a token whose session id is not a uuid', (user) => withClaims(user, { sid: 'not-a-uuid' })],
    ['a token naming another user for its session', (user) => withClaims(user, { sub: '00000000-0000-7000-8000-000000000000' })],
    ['a token with a tampered payload', (user) => tamper(user.accessToken, { role: 'superuser' })],
    ['a refresh token', (user) => user.refreshToken],
    ['a token typed "JWT" instead of "at+jwt"', (user) => forge(decodeJwtPayload(user.accessToken), { typ: 'JWT' })],
  ];

  it.each(forgeries)('is refused with UNAUTHENTICATED, never a server error, when it is %s', async (_case, tokenOf) => {
    const user = await signUp(server);

    const response = await server.graphql(ME, {}, { token: tokenOf(user) });

    expectAccessTokenRefused(response);
  });

  it.each([
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['a bare "Bearer"', 'Bearer'],
    ['two tokens', 'Bearer one two'],
  ])('is refused with UNAUTHENTICATED when the Authorization header holds %s', async (_case, authorization) => {
    const response = await server.graphql(ME, {}, { headers: { authorization } });

    expectAccessTokenRefused(response);
  });
});

/** Swaps in a modified payload but keeps the original signature. */
function tamper(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url({ ...decodeJwtPayload(token), ...changes })}.${signature}`;
}
