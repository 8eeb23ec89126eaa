import { createHmac, randomInt } from 'node:crypto';

/** RFC 4648 base32: no 0, 1, 8 or 9, so those are read as the letters people mistake them for. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CODE_LENGTH = 10;
const GROUP_LENGTH = 5;
export const RECOVERY_CODE_COUNT = 10;
const CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);
const LOOKALIKES: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '8': 'B' };

/** Fresh single-use codes, shown once: "ABCDE-FGHIJ" (50 random bits each). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${characters.slice(0, GROUP_LENGTH)}-${characters.slice(GROUP_LENGTH)}`;
  });
}

/** The canonical form of a typed code (case, spaces, dashes and look-alike digits forgiven); null when it cannot be one. */
export function normalizeRecoveryCode(code: string): string | null {
  if (code.length > 64) return null;
  const normalized = code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[018]/g, (digit) => LOOKALIKES[digit] ?? digit);
  return CODE_PATTERN.test(normalized) ? normalized : null;
}

/**
 * HMAC-SHA256 under a server key, not a plain hash: 50 bits is too little to survive an offline
 * search of a leaked table, but without the key there is nothing to search. Deterministic, so the
 * row is found by its hash.
 */
export const hashRecoveryCode = (key: Buffer, normalizedCode: string): string =>
  createHmac('sha256', key).update(normalizedCode).digest('base64url');
