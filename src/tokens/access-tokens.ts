import { decodeProtectedHeader } from 'jose';
import jwt from 'jsonwebtoken';
import { addSeconds, toUnixSeconds } from '../clock';
import type { Clock } from '../clock';
import { ErrorReason, unauthenticated } from '../errors';
import { idField } from '../graphql/input-validation';
import type { Permission } from '../identity/permission';
import type { AccessTokenKey, AccessTokenKeys, JsonWebKeySet } from './access-token-keys';
import { formatScope } from './scope';
import { VerifiedTokenMemo } from './verified-token-memo';

/** About 2 KB a token with its claims: a few MB at most, for every token of the last few thousand clients. */
const VERIFIED_TOKENS_REMEMBERED = 2048;

/** RFC 9068: access tokens say what they are in the header, so no other JWT can be replayed as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenSubject {
  readonly userId: string;
  readonly sessionId: string;
  readonly accountId: string;
  readonly role: string;
  /** The role's permissions in the session's account: they become the `scope` claim. */
  readonly permissions: readonly Permission[];
  readonly clientId: string | null;
}

export interface AccessTokenClaims {
  readonly sub: string;
  readonly sid: string;
  readonly acc: string;
  readonly role: string;
  /** RFC 9068 §2.2.3: `feature:operation` strings (see scope.ts); absent when the role grants nothing. */
  readonly scope?: string;
  readonly client_id?: string;
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface AccessTokenOptions {
  readonly keys: AccessTokenKeys;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly clock: Clock;
}

export class AccessTokens {
  private readonly verified = new VerifiedTokenMemo<AccessTokenClaims>(VERIFIED_TOKENS_REMEMBERED);

  constructor(private readonly options: AccessTokenOptions) {}

  /** The public keys other services verify these tokens with (empty while HS256 signs). */
  get jsonWebKeySet(): JsonWebKeySet {
    return this.options.keys.jsonWebKeySet;
  }

  /**
   * Signs an access token. issuedAt and jti are the caller's, so re-issuing for the same refresh
   * rotation (the reuse grace window) yields the very same header and claims, and with HS256 or
   * RS256 the very same token. ES256 signatures are randomized: the re-issued token then differs
   * in its signature alone, and both verify.
   */
  issue(subject: AccessTokenSubject, issuedAt: Date, jti: string): IssuedAccessToken {
    const iat = toUnixSeconds(issuedAt);
    const expiresAt = addSeconds(new Date(iat * 1000), this.options.ttlSeconds);
    const scope = formatScope(subject.permissions);
    const claims: AccessTokenClaims = {
      sub: subject.userId,
      sid: subject.sessionId,
      acc: subject.accountId,
      role: subject.role,
      ...(scope === null ? {} : { scope }),
      ...(subject.clientId === null ? {} : { client_id: subject.clientId }),
      iss: this.options.issuer,
      aud: this.options.audience,
      iat,
      exp: toUnixSeconds(expiresAt),
      jti,
    };
    const { kid, algorithm, key } = this.options.keys.signing;
    const token = jwt.sign(claims, key, { algorithm, header: { alg: algorithm, typ: ACCESS_TOKEN_TYPE, kid } });
    return { token, expiresAt };
  }

  /**
   * Verifies signature (with the key the header's `kid` names, and only that key's algorithm), type,
   * issuer, audience and expiry; throws UNAUTHENTICATED.
   */
  verify(token: string): AccessTokenClaims {
    const now = toUnixSeconds(this.options.clock.now());
    const remembered = this.verified.get(token);
    if (remembered !== undefined) {
      if (this.isCurrent(remembered, now)) return remembered;
      this.verified.forget(token);
    }
    const verifier = this.verifierOf(token);
    let decoded: jwt.Jwt;
    try {
      decoded = jwt.verify(token, verifier.key, {
        algorithms: [verifier.algorithm],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        clockTimestamp: now,
        complete: true,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) {
        throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The access token has expired.');
      }
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    if (decoded.header.typ !== ACCESS_TOKEN_TYPE || !isAccessTokenClaims(decoded.payload)) {
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    // jsonwebtoken checks nbf but not iat: a token "issued" in the future (a skewed or compromised signer)
    // would otherwise live past its exp-iat lifetime as seen here. Same tolerance as exp and nbf.
    if (decoded.payload.iat > now + this.options.clockToleranceSeconds) {
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    }
    const claims = Object.freeze(decoded.payload);
    this.verified.remember(token, claims);
    return claims;
  }

  /**
   * The time-dependent checks of `verify`, for a token verified before: as jsonwebtoken judges exp and
   * nbf, and as above iat. Failing any, the token is verified from scratch, which gives the precise error.
   */
  private isCurrent(claims: AccessTokenClaims & { nbf?: unknown }, now: number): boolean {
    const tolerance = this.options.clockToleranceSeconds;
    if (now >= claims.exp + tolerance || claims.iat > now + tolerance) return false;
    return typeof claims.nbf !== 'number' || claims.nbf <= now + tolerance;
  }

  /**
   * The key named by the unverified header: only a lookup, nothing in it is trusted beyond that. The
   * header alone is decoded; the payload is parsed once, by the verification.
   */
  private verifierOf(token: string): AccessTokenKey {
    let kid: unknown = null;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      // Not a JWS: refused below like any token with no usable key.
    }
    const verifier = kid === undefined || typeof kid === 'string' ? this.options.keys.verifierFor(kid) : null;
    if (verifier === null) throw unauthenticated(ErrorReason.INVALID_TOKEN, 'The access token is invalid.');
    return verifier;
  }
}

function isAccessTokenClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  // sub, sid and acc are looked up as uuid columns: anything else must be refused here as a bad token, not fail as a query error.
  return (
    ['sub', 'sid', 'acc'].every((name) => idField.safeParse(claims[name]).success) &&
    ['role', 'jti'].every((name) => typeof claims[name] === 'string') &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number'
  );
}
