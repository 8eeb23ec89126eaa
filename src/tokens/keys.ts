import { createSecretKey, hkdfSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface TokenKeys {
  /** HS256 key for access tokens, built once: jsonwebtoken re-parses string secrets on every call. */
  readonly accessToken: KeyObject;
  /** HMAC key that derives a rotated refresh token's successor from the presented secret (see refresh-tokens.ts). */
  readonly refreshSuccessor: Buffer;
  /** HMAC key for 2FA recovery codes: too short to store under a plain hash (see two-factor/recovery-codes.ts). */
  readonly recoveryCode: Buffer;
}

/**
 * Derives one independent key per purpose from the configured secret (HKDF-SHA256), so that a
 * key used to sign JWTs is never also used for anything else.
 */
export function deriveTokenKeys(secret: Buffer): TokenKeys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `gatehouse/${purpose}`, 32));
  return {
    accessToken: createSecretKey(derive('access-token/hs256')),
    refreshSuccessor: derive('refresh-token/successor'),
    recoveryCode: derive('two-factor/recovery-code'),
  };
}
