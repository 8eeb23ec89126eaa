import type { FeatureDefinition } from '../accounts/features';
import type { AsymmetricPublicKey, AsymmetricSigningKey } from '../tokens/asymmetric-keys';
import type { DatabaseConfig } from './database-config';
import type { Environment } from './environment';
import type { MetricsConfig } from './metrics-config';
import type { WebhookConfig } from './webhook-config';

/** The service's whole configuration, read from the environment once at start (load-config.ts) and frozen. */
export interface Config {
  readonly environment: Environment['NODE_ENV'];
  readonly isDevelopment: boolean;
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly trustProxy: boolean | string;
  /**
   * How long a stopping instance keeps serving with /readyz at 503 before it stops accepting connections:
   * at least a load balancer's health-check interval times its fall count, so it has taken the instance out.
   */
  readonly shutdownDrainSeconds: number;
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
  /** The application's features (FEATURES_FILE); Gatehouse's own are always there besides. */
  readonly features: readonly FeatureDefinition[];
  readonly accounts: {
    /** MAX_OWNED_ACCOUNTS_PER_USER: createAccount is refused to a user who already owns this many. */
    readonly maxOwnedPerUser: number;
  };
  readonly twoFactor: {
    /** AES-256-GCM key for TOTP secrets at rest. */
    readonly encryptionKey: Buffer;
    readonly challengeTtlSeconds: number;
  };
  /** Webhook delivery (README, "Webhooks"). */
  readonly webhooks: WebhookConfig;
  /** GET /metrics: off, on PORT (behind METRICS_TOKEN when set), or on METRICS_PORT (metrics-config.ts). */
  readonly metrics: MetricsConfig;
  /**
   * OpenTelemetry traces, exported over OTLP/HTTP, when OTEL_EXPORTER_OTLP_ENDPOINT is set; null: none, and
   * nothing of OpenTelemetry is loaded (tracing/).
   */
  readonly tracing: { readonly endpoint: string; readonly serviceName: string } | null;
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
    /** Invitations (and resends) one user may send per INVITATION_SEND_WINDOW_SECONDS, whatever the account. */
    readonly invitationInviterMax: number;
    readonly twoFactorMaxFailures: number;
    readonly twoFactorLockSeconds: number;
  };
  readonly passwords: {
    readonly minLength: number;
    readonly maxLength: number;
    readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
    readonly hashConcurrency: number;
    readonly hashQueueLimit: number;
    /** Nice value of libuv's pool threads, where argon2 hashes (passwords/thread-pool-priority.ts); 0 leaves them be. */
    readonly hashThreadNiceness: number;
  };
}
