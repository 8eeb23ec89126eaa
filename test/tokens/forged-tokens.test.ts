import { createHmac, createPrivateKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AccessTokenKeys } from '../../src/tokens/access-token-keys';
import { deriveTokenKeys } from '../../src/tokens/keys';
import type { SignedUpUser } from '../support/factories';
import { expectAccessTokenRefused, presentRefreshToken, presentToMe } from '../support/presenting-tokens';
import { startRs256Server } from '../support/rs256-server';
import { generateRsaKeyPair, thumbprintOf } from '../support/signing-keys';
import type { PemKeyPair } from '../support/signing-keys';
import type { TestServer } from '../support/test-server';
import { base64url, decodeJwtPayload } from '../support/tokens';

let server: TestServer;
let keyPair: PemKeyPair;
let kid: string;
let user: SignedUpUser;
beforeAll(async () => {
  ({ server, keyPair, kid, user } = await startRs256Server());
});
afterAll(() => server.close());

/** The user's genuine claims under a header of the attacker's choosing, with the signature they can make. */
function forgeWith(header: object, sign: (signingInput: string) => string, claims: object = decodeJwtPayload(user.accessToken)): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  return `${signingInput}.${sign(signingInput)}`;
}

describe('an access token on a server signing with RS256', () => {
  it('is accepted when genuine (so the forgeries below differ only where they say)', async () => {
    const response = await presentToMe(server, user.accessToken);

    expect(response.data!.me).toEqual({ id: user.userId, email: user.email });
  });

  it('is refused with alg "none" and no signature, even under the right kid', async () => {
    const token = forgeWith({ alg: 'none', typ: 'at+jwt', kid }, () => '');

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused when "signed" HS256 with the published public key PEM as the HMAC secret', async () => {
    // The classic key-confusion attack: the verifier must not let the header pick HMAC for an RSA key.
    const token = forgeWith({ alg: 'HS256', typ: 'at+jwt', kid }, (input) =>
      createHmac('sha256', keyPair.publicKey).update(input).digest('base64url'),
    );

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused when signed by a key the server does not hold, under that key’s own kid', async () => {
    const stranger = generateRsaKeyPair();
    const token = jwt.sign(decodeJwtPayload(user.accessToken), stranger.privateKey, {
      algorithm: 'RS256',
      header: { alg: 'RS256', typ: 'at+jwt', kid: await thumbprintOf(stranger.publicKey) },
    });

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused when signed by a key the server does not hold, under the server’s kid', async () => {
    const stranger = generateRsaKeyPair();
    const token = jwt.sign(decodeJwtPayload(user.accessToken), createPrivateKey(stranger.privateKey), {
      algorithm: 'RS256',
      header: { alg: 'RS256', typ: 'at+jwt', kid },
    });

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused when its kid is not a string', async () => {
    const [, payload, signature] = user.accessToken.split('.');
    const token = `${base64url({ alg: 'RS256', typ: 'at+jwt', kid: 7 })}.${payload}.${signature}`;

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused when its payload is tampered with after signing', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const claims = { ...decodeJwtPayload(user.accessToken), role: 'owner', scope: 'members:c members:r members:u members:d' };
    const token = `${header}.${base64url(claims)}.${signature}`;

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused with TOKEN_EXPIRED once expired', async () => {
    const { accessTokenTtlSeconds, clockToleranceSeconds } = server.config.tokens;
    server.clock.advance(accessTokenTtlSeconds + clockToleranceSeconds + 1);
    try {
      expectAccessTokenRefused(await presentToMe(server, user.accessToken), 'TOKEN_EXPIRED');
    } finally {
      server.clock.advance(-(accessTokenTtlSeconds + clockToleranceSeconds + 1));
    }
  });

  it.each([
    ['under its own kid', true],
    ['without a kid, as HS256 tokens were before kids', false],
  ])('is refused when correctly signed with the HS256 key %s: asymmetric keys replace HS256', async (_case, withKid) => {
    const hmacKey = deriveTokenKeys(server.config.tokens.secret).accessToken;
    // The kid an HS256-only server would give this very key.
    const hs256 = await AccessTokenKeys.create({ hmacKey, signingKey: null, previousPublicKeys: [] });
    const token = forgeWith({ alg: 'HS256', typ: 'at+jwt', ...(withKid ? { kid: hs256.signing.kid } : {}) }, (input) =>
      createHmac('sha256', hmacKey).update(input).digest('base64url'),
    );

    expectAccessTokenRefused(await presentToMe(server, token));
  });

  it('is refused as a token, not as malformed input, where a refresh token belongs (RS256 tokens are long)', async () => {
    expect(user.accessToken.length).toBeGreaterThan(512);

    const response = await presentRefreshToken(server, user.accessToken);

    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });
});
