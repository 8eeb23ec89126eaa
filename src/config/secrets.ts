import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deriveKey } from '../tokens/keys';
import type { ReportProblem } from './config-error';
import type { Environment } from './environment';

const MIN_SECRET_BYTES = 32;

/** The shared secrets, complete: what Config carries. */
export interface Secrets {
  readonly jwtSecret: Buffer;
  /** AES-256-GCM key for TOTP secrets at rest. */
  readonly totpEncryptionKey: Buffer;
  readonly gatewaySecret: string | null;
}

/** The secrets as configured and checked, before the development JWT secret or the TOTP key exist. */
export interface CheckedSecrets {
  /** null: none configured (allowed outside production), or a bad one already reported. */
  readonly jwtSecret: Buffer | null;
  readonly totpEncryptionKey: Buffer | null;
  readonly gatewaySecret: string | null;
}

/** Checks JWT_SECRET, TOTP_ENCRYPTION_KEY and GATEWAY_SECRET, reporting each bad one; no message quotes a value. */
export function checkSecrets(
  values: Pick<Environment, 'JWT_SECRET' | 'TOTP_ENCRYPTION_KEY' | 'GATEWAY_SECRET'>,
  isProduction: boolean,
  report: ReportProblem,
): CheckedSecrets {
  return {
    jwtSecret: checkJwtSecret(values.JWT_SECRET, isProduction, report),
    totpEncryptionKey: checkTotpEncryptionKey(values.TOTP_ENCRYPTION_KEY, report),
    gatewaySecret: checkGatewaySecret(values.GATEWAY_SECRET, report),
  };
}

/**
 * Call only once the whole configuration is valid: a development start without JWT_SECRET writes its
 * secret file here, and a start that fails on another variable should leave nothing behind.
 */
export function completeSecrets(checked: CheckedSecrets, dataDir: string): Secrets {
  const jwtSecret = checked.jwtSecret ?? readOrCreateDevelopmentSecret(dataDir);
  return {
    jwtSecret,
    // Derived from the JWT secret (its own label) when no TOTP_ENCRYPTION_KEY is given, so a deployment has
    // one secret to manage, but rotating either is explicit.
    totpEncryptionKey: deriveKey(checked.totpEncryptionKey ?? jwtSecret, 'totp-secret-encryption'),
    gatewaySecret: checked.gatewaySecret,
  };
}

/** Length alone lets "aaaa…" through; a real random secret (even hex) has many distinct bytes. */
const isRandomLooking = (secret: Buffer): boolean => secret.length >= MIN_SECRET_BYTES && new Set(secret).size >= 8;

function checkJwtSecret(configured: string | undefined, isProduction: boolean, report: ReportProblem): Buffer | null {
  if (configured === undefined) {
    if (isProduction) report('JWT_SECRET', 'required when NODE_ENV=production');
    return null;
  }
  const secret = Buffer.from(configured, 'utf8');
  if (isRandomLooking(secret)) return secret;
  report('JWT_SECRET', `must be at least ${MIN_SECRET_BYTES} bytes of random data (try: openssl rand -base64 48)`);
  return null;
}

/** TOTP_ENCRYPTION_KEY: at least 32 bytes of text (base64 or otherwise); the key itself is derived from it. */
function checkTotpEncryptionKey(configured: string | undefined, report: ReportProblem): Buffer | null {
  if (configured === undefined) return null;
  const key = Buffer.from(configured, 'utf8');
  if (key.length >= MIN_SECRET_BYTES) return key;
  report('TOTP_ENCRYPTION_KEY', `must be at least ${MIN_SECRET_BYTES} bytes`);
  return null;
}

/**
 * The gateway's shared secret travels in a header, so it must be header-safe text (printable ASCII, no
 * spaces: what `openssl rand -base64 48` prints), and as hard to guess as the JWT secret.
 */
function checkGatewaySecret(configured: string | undefined, report: ReportProblem): string | null {
  return checkHeaderSecret('GATEWAY_SECRET', configured, report);
}

/** A shared secret sent in a header (GATEWAY_SECRET, METRICS_TOKEN): printable ASCII without spaces, as hard to guess as the JWT secret. */
export function checkHeaderSecret(variable: string, configured: string | undefined, report: ReportProblem): string | null {
  if (configured === undefined) return null;
  if (/^[\x21-\x7e]+$/.test(configured) && isRandomLooking(Buffer.from(configured, 'utf8'))) return configured;
  report(variable, `must be at least ${MIN_SECRET_BYTES} random printable ASCII characters, no spaces (try: openssl rand -base64 48)`);
  return null;
}

/** Development convenience: one CSPRNG secret per data directory, so tokens survive restarts. */
function readOrCreateDevelopmentSecret(dataDir: string): Buffer {
  const secretFile = path.join(dataDir, 'jwt-secret');
  if (existsSync(secretFile)) {
    return Buffer.from(readFileSync(secretFile, 'utf8').trim(), 'base64url');
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48);
  writeFileSync(secretFile, secret.toString('base64url'), { mode: 0o600, flag: 'wx' });
  chmodSync(secretFile, 0o600);
  return secret;
}
