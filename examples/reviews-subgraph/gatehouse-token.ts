import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { GATEHOUSE_ALGORITHMS } from '../shared/gatehouse-token-settings';
import type { GatehouseTokenSettings } from '../shared/gatehouse-token-settings';

// How a subgraph checks a Gatehouse access token on its own: the recipe the README shows. The token is
// verified against Gatehouse's published keys (JWKS), so this service holds no secret of Gatehouse's.

/** Who a verified access token says the caller is, as of when it was issued. */
export interface VerifiedCaller {
  readonly userId: string;
}

/** The caller a request's Authorization header proves, or null when it proves nobody. */
export type VerifyCaller = (authorization: string | undefined) => Promise<VerifiedCaller | null>;

export function createCallerVerifier({ jwksUrl, issuer, audience }: GatehouseTokenSettings): VerifyCaller {
  // jose fetches the key set on first use, caches it, and fetches it again for a kid it has not seen:
  // a key Gatehouse publishes before signing with it (README, "Rotating the key") needs no restart here.
  const gatehouseKeys = createRemoteJWKSet(jwksUrl);
  return async (authorization) => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, gatehouseKeys, {
        issuer,
        audience,
        // RFC 9068: an ID token or any other JWT signed with the same key does not pass for an access token.
        typ: 'at+jwt',
        // Only asymmetric algorithms: an HS256 "signature" made with the public key must not verify.
        algorithms: GATEHOUSE_ALGORITHMS,
        requiredClaims: ['sub'],
      });
      return { userId: String(payload.sub) };
    } catch (error) {
      // Forged, expired, for another audience, signed by an unknown key: no identity, as with no token.
      if (error instanceof errors.JOSEError) return null;
      // Anything else is this service failing to reach Gatehouse's keys: not the caller's fault.
      throw new GraphQLError('Access tokens cannot be checked right now.', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
    }
  };
}

/** For a field that acts as the caller: their identity, or UNAUTHENTICATED as Gatehouse itself would answer. */
export function requireCaller(caller: VerifiedCaller | null): VerifiedCaller {
  if (!caller) throw new GraphQLError('Sign in first: this needs a valid Gatehouse access token.', { extensions: { code: 'UNAUTHENTICATED' } });
  return caller;
}
