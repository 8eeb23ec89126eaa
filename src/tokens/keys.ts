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
 * One independent 32-byte key per purpose from a configured secret (HKDF-SHA256, labelled
 * `gatehouse/<purpose>`), so a key used for one thing is never also used for another. The label is
 * part of what is stored: changing it or the hash would orphan every TOTP secret, recovery code and
 * refresh token already issued (test/tokens/derived-keys.unit.test.ts pins the bytes).
 */
export function deriveKey(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `gatehouse/${purpose}`, 32));
}

export function deriveTokenKeys(secret: Buffer): TokenKeys {
  return {
    accessToken: createSecretKey(deriveKey(secret, 'access-token/hs256')),
    refreshSuccessor: deriveKey(secret, 'refresh-token/successor'),
    recoveryCode: deriveKey(secret, 'two-factor/recovery-code'),
  };
}
