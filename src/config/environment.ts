import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { ReportProblem } from './config-error';
import { EXACT_ORIGIN_MESSAGE, isExactOrigin } from './cors-origins';
import { DATABASE_TIMEOUT_DEFAULTS } from './database-config';

const DAY_SECONDS = 24 * 60 * 60;

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
  // Unset: 5 s in production (a balancer's health checks need that long to take an instance out), 0 elsewhere.
  SHUTDOWN_DRAIN_SECONDS: optionalText.pipe(z.coerce.number<string | undefined>().int().min(0).max(300).optional()),
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
  PASSWORD_HASH_THREAD_NICENESS: integer(10, 0, 19),
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
  FEATURES_FILE: optionalText,
  INVITATION_TTL_SECONDS: integer(7 * DAY_SECONDS, 60, 90 * DAY_SECONDS),
  INVITATION_SEND_MAX: integer(50, 1, 100_000),
  INVITATION_SEND_WINDOW_SECONDS: integer(60 * 60, 1, DAY_SECONDS),
  MAX_OWNED_ACCOUNTS_PER_USER: integer(10, 1, 10_000),
  INVITATION_INVITER_MAX: integer(20, 1, 100_000),
  TWO_FACTOR_MAX_FAILURES: integer(5, 1, 1_000),
  TWO_FACTOR_LOCK_SECONDS: integer(15 * 60, 1, DAY_SECONDS),
  WEBHOOK_ENDPOINTS: optionalText,
  WEBHOOK_ALLOW_PRIVATE_TARGETS: optionalText.pipe(z.stringbool({ error: 'must be true or false' }).optional()),
  WEBHOOK_TIMEOUT_SECONDS: integer(10, 1, 60),
  WEBHOOK_POLL_INTERVAL_MS: integer(1000, 10, 60_000),
  METRICS_TOKEN: optionalText,
  METRICS_PORT: optionalText.pipe(z.coerce.number<string | undefined>().int().min(0).max(65_535).optional()),
  METRICS_HOST: optionalText,
  // OpenTelemetry's own names: the SDK reads the rest of its variables (headers, sampler, batching) itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
      .optional(),
  ),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).default('gatehouse'),
});

export type Environment = z.infer<typeof environmentSchema>;

/** Every environment variable the service reads (README and .env.example list each; a test checks). */
export const CONFIGURATION_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface ParsedEnvironment {
  /** Every variable's value; one that failed the schema holds its default instead. */
  readonly values: Environment;
  /** The variables that failed the schema (already reported), so checks comparing them can stand aside. */
  readonly failed: ReadonlySet<string>;
}

/**
 * Parses the environment and reports each variable the schema refuses. The rest are still parsed, with
 * a refused variable at its default, so the checks after the schema (secrets, keys, CORS) run as well
 * and one start-up names every mistake. A refused NODE_ENV counts as development: the production-only
 * checks then stand aside rather than guess.
 */
export function parseEnvironment(env: NodeJS.ProcessEnv, report: ReportProblem): ParsedEnvironment {
  const parsed = environmentSchema.safeParse(env);
  if (parsed.success) return { values: parsed.data, failed: new Set() };
  for (const issue of parsed.error.issues) report(issue.path.join('.'), issue.message);
  const failed = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const withoutFailed = Object.fromEntries(Object.entries(env).filter(([variable]) => !failed.has(variable)));
  return { values: environmentSchema.parse(withoutFailed), failed };
}
