import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { KeyFormatError, readPublicKeys, readSigningKey } from '../tokens/asymmetric-keys';
import type { AsymmetricPublicKey, AsymmetricSigningKey } from '../tokens/asymmetric-keys';
import { deriveKey } from '../tokens/keys';

const MIN_SECRET_BYTES = 32;
const DAY_SECONDS = 24 * 60 * 60;
const EXACT_ORIGIN_MESSAGE = 'each entry must be an origin such as https://app.example.com (scheme, lower-case host, port; no path)';

/**
 * How long a request may wait on PostgreSQL: for a connection (the pool's wait for a free one
 * included), and for one statement. Past either it answers SERVICE_UNAVAILABLE instead of hanging.
 */
export const DATABASE_TIMEOUT_DEFAULTS = { connectTimeoutSeconds: 5, statementTimeoutSeconds: 10 } as const;

const integer = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: integer(4000, 0, 65_535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('loopback')
    .transform((value) => (value === 'true' ? true : value === 'false' ? false : value)),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: integer(10, 1, 1000),
  DATABASE_CONNECT_TIMEOUT_SECONDS: integer(DATABASE_TIMEOUT_DEFAULTS.connectTimeoutSeconds, 1, 60),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: integer(DATABASE_TIMEOUT_DEFAULTS.statementTimeoutSeconds, 1, 60),
  JWT_SECRET: optionalText,
  JWT_PRIVATE_KEY: optionalText,
  JWT_PRIVATE_KEY_FILE: optionalText,
  JWT_PREVIOUS_PUBLIC_KEYS: optionalText,
  JWT_PREVIOUS_PUBLIC_KEYS_FILE: optionalText,
  JWT_ISSUER: z.string().trim().min(1).default('gatehouse'),
  JWT_AUDIENCE: z.string().trim().min(1).default('gatehouse'),
  JWT_CLOCK_TOLERANCE_SECONDS: integer(5, 0, 300),
  ACCESS_TOKEN_TTL_SECONDS: integer(15 * 60, 10, DAY_SECONDS),
  SELECTION_TOKEN_TTL_SECONDS: integer(5 * 60, 10, 60 * 60),
  SESSION_IDLE_TTL_SECONDS: integer(7 * DAY_SECONDS, 60, 365 * DAY_SECONDS),
  SESSION_ABSOLUTE_TTL_SECONDS: integer(30 * DAY_SECONDS, 60, 365 * DAY_SECONDS),
  REFRESH_REUSE_GRACE_SECONDS: integer(10, 0, 300),
  PASSWORD_MIN_LENGTH: integer(12, 8, 256),
  ARGON2_MEMORY_KIB: integer(19_456, 1024, 4 * 1024 * 1024),
  ARGON2_ITERATIONS: integer(2, 1, 100),
  ARGON2_PARALLELISM: integer(1, 1, 64),
  PASSWORD_HASH_CONCURRENCY: integer(Math.max(1, Math.min(4, availableParallelism())), 1, 256),
  PASSWORD_HASH_QUEUE_LIMIT: integer(256, 0, 100_000),
  GRAPHQL_BODY_LIMIT: z.string().trim().min(1).default('100kb'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
    .pipe(z.array(z.string().refine((origin) => origin === '*' || isExactOrigin(origin), EXACT_ORIGIN_MESSAGE))),
  GRAPHQL_MAX_DEPTH: integer(12, 2, 100),
  GRAPHQL_MAX_COST: integer(5_000, 100, 1_000_000),
  GRAPHQL_MAX_ALIASES: integer(15, 1, 1_000),
  MAX_AUTH_MUTATIONS_PER_REQUEST: integer(1, 1, 20),
  PLAYGROUND_ENABLED: optionalText.pipe(z.stringbool({ error: 'must be true or false' }).optional()),
  GATEWAY_SECRET: optionalText,
  FEDERATION_AUTHORIZATION_DIRECTIVES: optionalText.pipe(z.stringbool({ error: 'must be true or false' }).optional()),
  PUBLIC_URL: optionalText.pipe(z.url('must be an absolute URL').optional()),
  SMTP_URL: optionalText.pipe(z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.string().trim().min(3).default('Gatehouse <no-reply@localhost>'),
  EMAIL_VERIFICATION_TTL_SECONDS: integer(24 * 60 * 60, 60, 30 * DAY_SECONDS),
  PASSWORD_RESET_TTL_SECONDS: integer(30 * 60, 60, DAY_SECONDS),
  TWO_FACTOR_CHALLENGE_TTL_SECONDS: integer(5 * 60, 30, 60 * 60),
  TOTP_ENCRYPTION_KEY: optionalText,
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
  REDIS_KEY_PREFIX: z.string().trim().min(1).max(100).default('gatehouse:limits:'),
  LOGIN_BACKOFF_AFTER_FAILURES: integer(5, 1, 1_000),
  LOGIN_LOCK_AFTER_FAILURES: integer(10, 1, 1_000),
  LOGIN_LOCK_SECONDS: integer(15 * 60, 1, DAY_SECONDS),
  LOGIN_IP_MAX_FAILURES: integer(100, 1, 1_000_000),
  LOGIN_IP_WINDOW_SECONDS: integer(15 * 60, 1, DAY_SECONDS),
  LOGIN_IP_MAX_SUCCESSES: integer(300, 1, 1_000_000),
  MAX_SESSIONS_PER_USER: integer(50, 1, 10_000),
  SIGN_UP_IP_MAX: integer(20, 1, 1_000_000),
  SIGN_UP_IP_WINDOW_SECONDS: integer(60 * 60, 1, DAY_SECONDS),
  EMAIL_SEND_MAX: integer(5, 1, 1_000),
  EMAIL_SEND_WINDOW_SECONDS: integer(60 * 60, 1, DAY_SECONDS),
  INVITATION_TTL_SECONDS: integer(7 * DAY_SECONDS, 60, 90 * DAY_SECONDS),
  INVITATION_SEND_MAX: integer(50, 1, 100_000),
  INVITATION_SEND_WINDOW_SECONDS: integer(60 * 60, 1, DAY_SECONDS),
  TWO_FACTOR_MAX_FAILURES: integer(5, 1, 1_000),
  TWO_FACTOR_LOCK_SECONDS: integer(15 * 60, 1, DAY_SECONDS),
});

type Environment = z.infer<typeof environmentSchema>;

/** Every environment variable the service reads (README and .env.example list each; a test checks). */
export const CONFIGURATION_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      /** Waiting for a connection, new or pooled; see DATABASE_TIMEOUT_DEFAULTS. */
      readonly connectTimeoutSeconds: number;
      /** One statement (migrations excepted): PostgreSQL's statement_timeout, and a client-side limit for a silent server. */
      readonly statementTimeoutSeconds: number;
    };

export interface Config {
  readonly environment: Environment['NODE_ENV'];
  readonly isDevelopment: boolean;
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly trustProxy: boolean | string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly graphqlBodyLimit: string;
  /** Browser origins allowed to call /graphql across origins; empty: same-origin only; '*': any (not in production). */
  readonly corsOrigins: '*' | readonly string[];
  /** GraphQL Playground at GET /graphql (browsers). On by default outside production. */
  readonly playgroundEnabled: boolean;
  /** Off in production unless the playground is on: Playground cannot work without the schema. */
  readonly introspectionEnabled: boolean;
  /**
   * What a federation gateway presents (X-Gateway-Secret) to read the subgraph SDL while introspection is
   * off; null: nobody reads it then (see http/subgraph-schema-access.ts).
   */
  readonly gatewaySecret: string | null;
  /**
   * Whether the subgraph SDL carries @authenticated/@requiresScopes, for a router that enforces them (Apollo
   * Router, Hive Gateway). Off by default: composition marks them `for: SECURITY`, so a gateway that cannot
   * enforce them (Apollo Gateway) must refuse the whole supergraph. Gatehouse's own rules apply either way.
   */
  readonly federationAuthorizationDirectives: boolean;
  readonly tokens: {
    readonly secret: Buffer;
    /** RS256/ES256 key that signs access tokens instead of the HS256 key derived from `secret`. */
    readonly signingKey: AsymmetricSigningKey | null;
    /** Verify-only public keys (a rotation's previous key), published in the JWKS too. */
    readonly previousPublicKeys: readonly AsymmetricPublicKey[];
    readonly issuer: string;
    readonly audience: string;
    readonly clockToleranceSeconds: number;
    readonly accessTokenTtlSeconds: number;
    readonly selectionTokenTtlSeconds: number;
  };
  readonly sessions: {
    readonly idleTtlSeconds: number;
    readonly absoluteTtlSeconds: number;
    readonly refreshReuseGraceSeconds: number;
    /** Live sessions a user may hold; a login beyond it ends their oldest. */
    readonly maxPerUser: number;
  };
  readonly publicUrl: string;
  readonly mail: { readonly smtpUrl: string | null; readonly from: string };
  readonly emailTokens: { readonly verificationTtlSeconds: number; readonly passwordResetTtlSeconds: number };
  readonly invitations: { readonly ttlSeconds: number };
  readonly twoFactor: {
    /** AES-256-GCM key for TOTP secrets at rest. */
    readonly encryptionKey: Buffer;
    readonly challengeTtlSeconds: number;
  };
  readonly redisUrl: string | null;
  /** Prefix of every rate-limit key in Redis, so deployments (or test runs) sharing one Redis keep apart. */
  readonly redisKeyPrefix: string;
  readonly limits: {
    readonly graphqlMaxDepth: number;
    readonly graphqlMaxCost: number;
    readonly graphqlMaxAliases: number;
    readonly maxAuthMutationsPerRequest: number;
    readonly loginBackoffAfterFailures: number;
    readonly loginLockAfterFailures: number;
    readonly loginLockSeconds: number;
    readonly loginIpMaxFailures: number;
    readonly loginIpWindowSeconds: number;
    readonly loginIpMaxSuccesses: number;
    readonly signUpIpMax: number;
    readonly signUpIpWindowSeconds: number;
    readonly emailSendMax: number;
    readonly emailSendWindowSeconds: number;
    readonly invitationSendMax: number;
    readonly invitationSendWindowSeconds: number;
    readonly twoFactorMaxFailures: number;
    readonly twoFactorLockSeconds: number;
  };
  readonly passwords: {
    readonly minLength: number;
    readonly maxLength: number;
    readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
    readonly hashConcurrency: number;
    readonly hashQueueLimit: number;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates the environment once. Every invalid variable is named in the thrown
 * ConfigError, so a bad deployment stops at start-up instead of failing on the first request.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === 'production';
  const playgroundEnabled = values.PLAYGROUND_ENABLED ?? !isProduction;
  const dataDir = path.resolve(values.DATA_DIR);
  const jwtSecret = resolveJwtSecret(values.JWT_SECRET, isProduction, dataDir);
  const asymmetricKeys = resolveAsymmetricKeys(values);

  if (values.SESSION_IDLE_TTL_SECONDS > values.SESSION_ABSOLUTE_TTL_SECONDS) {
    throw new ConfigError('Invalid configuration:\n  SESSION_IDLE_TTL_SECONDS: must not exceed SESSION_ABSOLUTE_TTL_SECONDS');
  }

  return Object.freeze({
    environment: values.NODE_ENV,
    isDevelopment: values.NODE_ENV === 'development',
    isProduction,
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    trustProxy: values.TRUST_PROXY,
    dataDir,
    database: databaseConfig(values, dataDir),
    graphqlBodyLimit: values.GRAPHQL_BODY_LIMIT,
    corsOrigins: resolveCorsOrigins(values.CORS_ORIGINS, isProduction),
    playgroundEnabled,
    introspectionEnabled: !isProduction || playgroundEnabled,
    gatewaySecret: resolveGatewaySecret(values.GATEWAY_SECRET),
    federationAuthorizationDirectives: values.FEDERATION_AUTHORIZATION_DIRECTIVES ?? false,
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    mail: Object.freeze({ smtpUrl: values.SMTP_URL ?? null, from: values.MAIL_FROM }),
    emailTokens: Object.freeze({
      verificationTtlSeconds: values.EMAIL_VERIFICATION_TTL_SECONDS,
      passwordResetTtlSeconds: values.PASSWORD_RESET_TTL_SECONDS,
    }),
    invitations: Object.freeze({ ttlSeconds: values.INVITATION_TTL_SECONDS }),
    twoFactor: Object.freeze({
      encryptionKey: resolveTotpKey(values.TOTP_ENCRYPTION_KEY, jwtSecret),
      challengeTtlSeconds: values.TWO_FACTOR_CHALLENGE_TTL_SECONDS,
    }),
    redisUrl: values.REDIS_URL ?? null,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    limits: Object.freeze({
      graphqlMaxDepth: values.GRAPHQL_MAX_DEPTH,
      graphqlMaxCost: values.GRAPHQL_MAX_COST,
      graphqlMaxAliases: values.GRAPHQL_MAX_ALIASES,
      maxAuthMutationsPerRequest: values.MAX_AUTH_MUTATIONS_PER_REQUEST,
      loginBackoffAfterFailures: values.LOGIN_BACKOFF_AFTER_FAILURES,
      loginLockAfterFailures: values.LOGIN_LOCK_AFTER_FAILURES,
      loginLockSeconds: values.LOGIN_LOCK_SECONDS,
      loginIpMaxFailures: values.LOGIN_IP_MAX_FAILURES,
      loginIpWindowSeconds: values.LOGIN_IP_WINDOW_SECONDS,
      loginIpMaxSuccesses: values.LOGIN_IP_MAX_SUCCESSES,
      signUpIpMax: values.SIGN_UP_IP_MAX,
      signUpIpWindowSeconds: values.SIGN_UP_IP_WINDOW_SECONDS,
      emailSendMax: values.EMAIL_SEND_MAX,
      emailSendWindowSeconds: values.EMAIL_SEND_WINDOW_SECONDS,
      invitationSendMax: values.INVITATION_SEND_MAX,
      invitationSendWindowSeconds: values.INVITATION_SEND_WINDOW_SECONDS,
      twoFactorMaxFailures: values.TWO_FACTOR_MAX_FAILURES,
      twoFactorLockSeconds: values.TWO_FACTOR_LOCK_SECONDS,
    }),
    tokens: Object.freeze({
      secret: jwtSecret,
      signingKey: asymmetricKeys.signingKey,
      previousPublicKeys: Object.freeze(asymmetricKeys.previousPublicKeys),
      issuer: values.JWT_ISSUER,
      audience: values.JWT_AUDIENCE,
      clockToleranceSeconds: values.JWT_CLOCK_TOLERANCE_SECONDS,
      accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
      selectionTokenTtlSeconds: values.SELECTION_TOKEN_TTL_SECONDS,
    }),
    sessions: Object.freeze({
      idleTtlSeconds: values.SESSION_IDLE_TTL_SECONDS,
      absoluteTtlSeconds: values.SESSION_ABSOLUTE_TTL_SECONDS,
      refreshReuseGraceSeconds: values.REFRESH_REUSE_GRACE_SECONDS,
      maxPerUser: values.MAX_SESSIONS_PER_USER,
    }),
    passwords: Object.freeze({
      minLength: values.PASSWORD_MIN_LENGTH,
      maxLength: 256,
      argon2: Object.freeze({
        memoryCost: values.ARGON2_MEMORY_KIB,
        timeCost: values.ARGON2_ITERATIONS,
        parallelism: values.ARGON2_PARALLELISM,
      }),
      hashConcurrency: values.PASSWORD_HASH_CONCURRENCY,
      hashQueueLimit: values.PASSWORD_HASH_QUEUE_LIMIT,
    }),
  });
}

/**
 * TOTP_ENCRYPTION_KEY (≥ 32 bytes, base64 or text) when given; otherwise a key derived from the JWT
 * secret (HKDF, its own label), so a deployment has one secret to manage but rotating either is explicit.
 */
function resolveTotpKey(configured: string | undefined, jwtSecret: Buffer): Buffer {
  if (configured !== undefined) {
    const key = Buffer.from(configured, 'utf8');
    if (key.length < MIN_SECRET_BYTES) {
      throw new ConfigError(`Invalid configuration:\n  TOTP_ENCRYPTION_KEY: must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return deriveKey(key, 'totp-secret-encryption');
  }
  return deriveKey(jwtSecret, 'totp-secret-encryption');
}

/**
 * An origin exactly as a browser sends it in the Origin header (lower case, no default port, no
 * path): the list is compared as text, so anything else could never match.
 */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * '*' lets any web page call the API with a token it holds. Harmless for a local tool, but in
 * production the operator must name the apps they trust, so a leaked token is not usable from anywhere.
 */
function resolveCorsOrigins(origins: readonly string[], isProduction: boolean): '*' | readonly string[] {
  if (!origins.includes('*')) return Object.freeze([...origins]);
  if (isProduction) throw new ConfigError("Invalid configuration:\n  CORS_ORIGINS: '*' is refused in production; list the origins");
  if (origins.length > 1) throw new ConfigError("Invalid configuration:\n  CORS_ORIGINS: '*' cannot be combined with origins");
  return '*';
}

/**
 * JWT_PRIVATE_KEY and JWT_PREVIOUS_PUBLIC_KEYS, each given inline or as a *_FILE path (PEM in an
 * environment variable is awkward; a mounted secret file is not). Every bad variable is named; no
 * message quotes key material.
 */
function resolveAsymmetricKeys(values: Environment): {
  signingKey: AsymmetricSigningKey | null;
  previousPublicKeys: AsymmetricPublicKey[];
} {
  const problems: string[] = [];
  const parseNamed = <Key>(name: string, text: string, parse: (pem: string) => Key): Key | null => {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof KeyFormatError)) throw error;
      problems.push(`${name}: ${error.message}`);
      return null;
    }
  };
  const read = <Key>(variable: 'JWT_PRIVATE_KEY' | 'JWT_PREVIOUS_PUBLIC_KEYS', parse: (pem: string) => Key): Key | null => {
    const inline = values[variable];
    const file = values[`${variable}_FILE`];
    if (inline !== undefined && file !== undefined) {
      problems.push(`${variable}: set either ${variable} or ${variable}_FILE, not both`);
      return null;
    }
    if (file === undefined) return inline === undefined ? null : parseNamed(variable, inline, parse);
    const text = readKeyFile(file);
    if (text === null) {
      problems.push(`${variable}_FILE: cannot read ${path.resolve(file)}`);
      return null;
    }
    return parseNamed(`${variable}_FILE`, text, parse);
  };
  const signingKey = read('JWT_PRIVATE_KEY', readSigningKey);
  const previousPublicKeys = read('JWT_PREVIOUS_PUBLIC_KEYS', readPublicKeys) ?? [];
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return { signingKey, previousPublicKeys };
}

function readKeyFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function databaseConfig(values: Environment, dataDir: string): DatabaseConfig {
  if (!values.DATABASE_URL) return { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  return {
    kind: 'postgres',
    url: values.DATABASE_URL,
    poolSize: values.DATABASE_POOL_SIZE,
    connectTimeoutSeconds: values.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementTimeoutSeconds: values.DATABASE_STATEMENT_TIMEOUT_SECONDS,
  };
}

/** Length alone lets "aaaa…" through; a real random secret (even hex) has many distinct bytes. */
const isRandomLooking = (secret: Buffer): boolean => secret.length >= MIN_SECRET_BYTES && new Set(secret).size >= 8;

/**
 * The gateway's shared secret travels in a header, so it must be header-safe text (printable ASCII, no
 * spaces: what `openssl rand -base64 48` prints), and as hard to guess as the JWT secret.
 */
function resolveGatewaySecret(configured: string | undefined): string | null {
  if (configured === undefined) return null;
  if (!/^[\x21-\x7e]+$/.test(configured) || !isRandomLooking(Buffer.from(configured, 'utf8'))) {
    throw new ConfigError(
      `Invalid configuration:\n  GATEWAY_SECRET: must be at least ${MIN_SECRET_BYTES} random printable ASCII characters, no spaces (try: openssl rand -base64 48)`,
    );
  }
  return configured;
}

function resolveJwtSecret(configured: string | undefined, isProduction: boolean, dataDir: string): Buffer {
  if (configured !== undefined) {
    const secret = Buffer.from(configured, 'utf8');
    if (!isRandomLooking(secret)) {
      throw new ConfigError(
        `Invalid configuration:\n  JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes of random data (try: openssl rand -base64 48)`,
      );
    }
    return secret;
  }
  if (isProduction) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  return readOrCreateDevelopmentSecret(dataDir);
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
