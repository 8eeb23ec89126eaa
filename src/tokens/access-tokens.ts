import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { addSeconds, toUnixSeconds } from '../clock';
import type { Clock } from '../clock';
import { ErrorReason, unauthenticated } from '../errors';
import { idField } from '../input-validation';

/** RFC 9068: access tokens say what they are in the header, so no other JWT can be replayed as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';

export interface AccessTokenSubject {
  readonly userId: string;
  readonly sessionId: string;
  readonly accountId: string;
  readonly role: string;
  readonly clientId: string | null;
}

export interface AccessTokenClaims {
  readonly sub: string;
  readonly sid: string;
  readonly acc: string;
  readonly role: string;
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
  readonly key: KeyObject;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly clockToleranceSeconds: number;
  readonly clock: Clock;
}

export class AccessTokens {
  constructor(private readonly options: AccessTokenOptions) {}

  /**
   * Signs an access token. issuedAt and jti are the caller's, so re-issuing for the same refresh
   * rotation (the reuse grace window) yields the very same token.
   */
  issue(subject: AccessTokenSubject, issuedAt: Date, jti: string): IssuedAccessToken {
    const iat = toUnixSeconds(issuedAt);
    const expiresAt = addSeconds(new Date(iat * 1000), this.options.ttlSeconds);
    const claims: AccessTokenClaims = {
      sub: subject.userId,
      sid: subject.sessionId,
      acc: subject.accountId,
      role: subject.role,
      ...(subject.clientId === null ? {} : { client_id: subject.clientId }),
      iss: this.options.issuer,
      aud: this.options.audience,
      iat,
      exp: toUnixSeconds(expiresAt),
      jti,
    };
    const token = jwt.sign(claims, this.options.key, { algorithm: ALGORITHM, header: { alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE } });
    return { token, expiresAt };
  }

  /** Verifies signature (algorithm pinned), type, issuer, audience and expiry; throws UNAUTHENTICATED. */
  verify(token: string): AccessTokenClaims {
    let decoded: jwt.Jwt;
    try {
      decoded = jwt.verify(token, this.options.key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        clockTimestamp: toUnixSeconds(this.options.clock.now()),
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
    return decoded.payload;
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
