import { toUnixSeconds } from '../clock';

/** otplib and its hashing modules, loaded at the first two-factor step: they were 15-35 ms of every start. */
// eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded on first use
const otplib = () => require('otplib') as typeof import('otplib');

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps (otplib's defaults). */
const CODE_PATTERN = /^\d{6}$/;
const PERIOD_SECONDS = 30;
/** One step either side: phones and servers drift, and a code typed at the end of its step arrives in the next. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
/** 160 bits, RFC 4226's recommended length. */
const SECRET_BYTES = 20;

export const isTotpCodeFormat = (code: string): boolean => CODE_PATTERN.test(code);

/** A new base32 secret for an authenticator app. */
export const generateTotpSecret = (): string => otplib().generateSecret({ length: SECRET_BYTES });

/** The otpauth:// URL an authenticator app reads from a QR code. */
export const totpUrl = (secret: string, issuer: string, label: string): string => otplib().generateURI({ issuer, label, secret });

/**
 * The time step the code belongs to, or null when it matches none within the tolerance. `now`
 * comes from the injected clock. The caller must still refuse a step at or below the last one
 * accepted: a code is valid for its whole window, and replaying it must not work.
 */
export async function matchTotpStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!isTotpCodeFormat(code)) return null;
  const result = await otplib().verify({ strategy: 'totp', secret, token: code, epoch: toUnixSeconds(now), epochTolerance: TOLERANCE_SECONDS });
  // The result type also covers HOTP, which has no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
