import path from 'node:path';
import type { FeatureDefinition } from '../accounts/features';
import type { Config } from './config';
import { collectProblems } from './config-error';
import type { ReportProblem } from './config-error';
import { checkCorsOrigins } from './cors-origins';
import { databaseConfig } from './database-config';
import { parseEnvironment } from './environment';
import type { Environment } from './environment';
import { readFeaturesFile } from './features-file';
import { readMetricsConfig } from './metrics-config';
import type { MetricsConfig } from './metrics-config';
import { checkSecrets, completeSecrets } from './secrets';
import type { Secrets } from './secrets';
import { readSigningKeys } from './signing-keys';
import type { SigningKeys } from './signing-keys';
import { readWebhookConfig } from './webhook-config';
import type { WebhookConfig } from './webhook-config';

/**
 * Enough for examples/haproxy/haproxy.cfg (checks 1 s apart, out after 2 failures) to take a stopping
 * instance out, with margin; a balancer that checks less often needs SHUTDOWN_DRAIN_SECONDS raised.
 */
const PRODUCTION_SHUTDOWN_DRAIN_SECONDS = 5;

/**
 * Reads and validates the environment once, so a bad deployment stops at start-up instead of failing on
 * the first request. Every check runs before anything is thrown: the ConfigError names every bad variable,
 * and a deployment with three mistakes learns all three from one failed start, not one per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems = collectProblems();
  const { values, failed } = parseEnvironment(env, problems.report);
  const isProduction = values.NODE_ENV === 'production';
  const checkedSecrets = checkSecrets(values, isProduction, problems.report);
  const signingKeys = readSigningKeys(values, problems.report);
  const corsOrigins = checkCorsOrigins(values.CORS_ORIGINS, isProduction, problems.report);
  checkSessionLifetimes(values, failed, problems.report);
  const features = readFeaturesFile(values.FEATURES_FILE, problems.report);
  const webhooks = readWebhookConfig(values, isProduction, problems.report);
  const metrics = readMetricsConfig(values, isProduction, problems.report);
  problems.throwIfAny();

  const dataDir = path.resolve(values.DATA_DIR);
  return assembleConfig(values, { dataDir, corsOrigins, signingKeys, features, webhooks, metrics, secrets: completeSecrets(checkedSecrets, dataDir) });
}

/**
 * An idle limit beyond the absolute one could never take effect. A lifetime the schema refused holds its
 * default here, and comparing that would report a mistake the operator did not make.
 */
function checkSessionLifetimes(values: Environment, failed: ReadonlySet<string>, report: ReportProblem): void {
  if (failed.has('SESSION_IDLE_TTL_SECONDS') || failed.has('SESSION_ABSOLUTE_TTL_SECONDS')) return;
  if (values.SESSION_IDLE_TTL_SECONDS > values.SESSION_ABSOLUTE_TTL_SECONDS) {
    report('SESSION_IDLE_TTL_SECONDS', 'must not exceed SESSION_ABSOLUTE_TTL_SECONDS');
  }
}

/** What loadConfig worked out beyond the plain values. */
interface Resolved {
  readonly dataDir: string;
  readonly corsOrigins: Config['corsOrigins'];
  readonly signingKeys: SigningKeys;
  readonly secrets: Secrets;
  readonly features: readonly FeatureDefinition[];
  readonly webhooks: WebhookConfig;
  readonly metrics: MetricsConfig;
}

function assembleConfig(values: Environment, { dataDir, corsOrigins, signingKeys, secrets, features, webhooks, metrics }: Resolved): Config {
  const isProduction = values.NODE_ENV === 'production';
  const playgroundEnabled = values.PLAYGROUND_ENABLED ?? !isProduction;
  return Object.freeze({
    environment: values.NODE_ENV,
    isDevelopment: values.NODE_ENV === 'development',
    isProduction,
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    trustProxy: values.TRUST_PROXY,
    shutdownDrainSeconds: values.SHUTDOWN_DRAIN_SECONDS ?? (isProduction ? PRODUCTION_SHUTDOWN_DRAIN_SECONDS : 0),
    dataDir,
    database: databaseConfig(values, dataDir),
    graphqlBodyLimit: values.GRAPHQL_BODY_LIMIT,
    corsOrigins,
    playgroundEnabled,
    introspectionEnabled: !isProduction || playgroundEnabled,
    gatewaySecret: secrets.gatewaySecret,
    federationAuthorizationDirectives: values.FEDERATION_AUTHORIZATION_DIRECTIVES ?? false,
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    mail: Object.freeze({ smtpUrl: values.SMTP_URL ?? null, from: values.MAIL_FROM }),
    emailTokens: Object.freeze({
      verificationTtlSeconds: values.EMAIL_VERIFICATION_TTL_SECONDS,
      passwordResetTtlSeconds: values.PASSWORD_RESET_TTL_SECONDS,
    }),
    invitations: Object.freeze({ ttlSeconds: values.INVITATION_TTL_SECONDS }),
    features,
    accounts: Object.freeze({ maxOwnedPerUser: values.MAX_OWNED_ACCOUNTS_PER_USER }),
    twoFactor: Object.freeze({
      encryptionKey: secrets.totpEncryptionKey,
      challengeTtlSeconds: values.TWO_FACTOR_CHALLENGE_TTL_SECONDS,
    }),
    webhooks: Object.freeze(webhooks),
    metrics: Object.freeze(metrics),
    tracing: values.OTEL_EXPORTER_OTLP_ENDPOINT
      ? Object.freeze({ endpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: values.OTEL_SERVICE_NAME })
      : null,
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
      invitationInviterMax: values.INVITATION_INVITER_MAX,
      twoFactorMaxFailures: values.TWO_FACTOR_MAX_FAILURES,
      twoFactorLockSeconds: values.TWO_FACTOR_LOCK_SECONDS,
    }),
    tokens: Object.freeze({
      secret: secrets.jwtSecret,
      signingKey: signingKeys.signingKey,
      previousPublicKeys: signingKeys.previousPublicKeys,
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
      hashThreadNiceness: values.PASSWORD_HASH_THREAD_NICENESS,
    }),
  });
}
