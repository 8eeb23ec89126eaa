import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Opaque tokens look like "<prefix><id>.<secret>": the id finds the row, only SHA-256(secret) is stored,
 * and the prefix says what kind of token it is, so one kind can never pass for another
 * ("ghr_" refresh, "ghs_" account selection, "ghv_" email verification, "ghp_" password reset,
 * "ghc_" two-factor login challenge, "ghi_" invitation to an account, "ghe_" email address change).
 */
export const TokenPrefix = {
  refresh: 'ghr_',
  selection: 'ghs_',
  emailVerification: 'ghv_',
  passwordReset: 'ghp_',
  challenge: 'ghc_',
  invitation: 'ghi_',
  emailChange: 'ghe_',
} as const;
export type TokenPrefix = (typeof TokenPrefix)[keyof typeof TokenPrefix];

export interface OpaqueToken {
  readonly id: string;
  readonly secret: string;
  readonly token: string;
}

const SECRET_BYTES = 32;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createOpaqueToken(prefix: TokenPrefix, id: string = randomUUID(), secret = newSecret()): OpaqueToken {
  return { id, secret, token: `${prefix}${id}.${secret}` };
}

export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/** Splits a presented token; null when it is not a well-formed token of this kind. */
export function parseOpaqueToken(prefix: TokenPrefix, token: string): { id: string; secret: string } | null {
  if (!token.startsWith(prefix)) return null;
  const [id, secret, ...rest] = token.slice(prefix.length).split('.');
  if (rest.length > 0 || !id || !secret || !UUID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return null;
  return { id, secret };
}

/** The secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(storedHash);
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
