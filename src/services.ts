import { createAbuseLimits } from './abuse/abuse-limits';
import type { AbuseLimits } from './abuse/abuse-limits';
import { AccountCreationService } from './account-lifecycle/account-creation.service';
import { AccountLifecycleService } from './account-lifecycle/account-lifecycle.service';
import { OwnershipTransferService } from './account-lifecycle/ownership-transfer.service';
import { FeatureCatalog } from './accounts/features';
import { MembershipDirectory } from './accounts/membership-directory';
import { RoleCatalog } from './accounts/roles';
import { AuditEventsService } from './audit/audit-events.service';
import { AuditLog } from './audit/audit-log';
import { AccountSelectionService } from './auth/account-selection.service';
import { LoginReadStore } from './auth/login-read.store';
import { LoginService } from './auth/login.service';
import { SecondFactorChallenges } from './auth/second-factor-challenges';
import { SignUpService } from './auth/sign-up.service';
import type { Clock } from './clock';
import type { Config } from './config/config';
import type { HotPathSql } from './database/hot-path-sql';
import { EmailTokens } from './email/email-tokens';
import type { Mailer } from './email/mailer';
import { OutboxMailer } from './email/outbox-mailer';
import { SmtpMailer } from './email/smtp-mailer';
import type { PrismaClient } from './generated/prisma/client';
import { InvitationReads } from './invitations/invitation-reads.service';
import { InvitationService } from './invitations/invitation.service';
import { InvitedSignUp } from './invitations/invited-sign-up';
import type { Logger } from './logger';
import { MembershipService } from './members/membership.service';
import type { Metrics } from './metrics/metrics';
import { PasswordConfirmation } from './passwords/password-confirmation';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordPolicy } from './passwords/password-policy';
import { PasswordStrengthEstimator } from './passwords/password-strength';
import { PasswordService } from './passwords/password.service';
import { SensitiveChangeConfirmation } from './passwords/sensitive-change-proof';
import { RoleService } from './roles/role.service';
import { MySessionsService } from './sessions/my-sessions.service';
import { RefreshTokenService } from './sessions/refresh-token.service';
import { RefreshTokenStore } from './sessions/refresh-token.store';
import { SessionGrantIssuer } from './sessions/session-grant';
import { SessionService } from './sessions/session.service';
import { SessionStore } from './sessions/session.store';
import { AccessTokenKeys } from './tokens/access-token-keys';
import { AccessTokens } from './tokens/access-tokens';
import { deriveTokenKeys } from './tokens/keys';
import type { Spans } from './tracing/spans';
import { SecondFactorCodes } from './two-factor/second-factor-codes';
import { SecondFactorProof } from './two-factor/second-factor-proof';
import { SecretBox } from './two-factor/secret-box';
import { TwoFactorRequirementService } from './two-factor/two-factor-requirement.service';
import { TwoFactorService } from './two-factor/two-factor.service';
import { EmailChangeService } from './user-lifecycle/email-change.service';
import { UserDeletionService } from './user-lifecycle/user-deletion.service';
import { EmailVerificationService } from './users/email-verification.service';
import { MyDataExportService } from './users/my-data-export.service';
import { syncOperatorEndpoints } from './webhooks/operator-endpoints';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEndpointService } from './webhooks/webhook-endpoint.service';

/** Enough for any team's job titles; a bound so one account cannot grow the table (and each role listing) without end. */
const MAX_ROLES_PER_ACCOUNT = 100;
/** Each endpoint multiplies every one of the account's events into another delivery. */
const MAX_WEBHOOK_ENDPOINTS_PER_ACCOUNT = 10;

/** The services resolvers call, wired once by createServices. */
export interface Services {
  /** Brute-force and abuse limits (see abuse/abuse-limits.ts). */
  readonly limits: AbuseLimits;
  readonly signUp: SignUpService;
  readonly login: LoginService;
  readonly accountSelection: AccountSelectionService;
  readonly sessions: SessionService;
  readonly refreshTokens: RefreshTokenService;
  readonly mySessions: MySessionsService;
  readonly memberships: MembershipService;
  /** Reads of who belongs where (accounts/membership-directory.ts). */
  readonly membershipDirectory: MembershipDirectory;
  readonly invitations: InvitationService;
  /** Invitation lists and link previews (invitations/invitation-reads.service.ts). */
  readonly invitationReads: InvitationReads;
  /** The built-in roles and the features (in memory), and reading any account's roles. */
  readonly roles: RoleCatalog;
  /** Changing an account's own roles. */
  readonly accountRoles: RoleService;
  readonly emailVerification: EmailVerificationService;
  readonly passwords: PasswordService;
  readonly auditEvents: AuditEventsService;
  readonly twoFactor: TwoFactorService;
  readonly twoFactorRequirements: TwoFactorRequirementService;
  readonly accountCreation: AccountCreationService;
  readonly accountLifecycle: AccountLifecycleService;
  readonly ownershipTransfers: OwnershipTransferService;
  /** changeEmail and confirmEmailChange (user-lifecycle/). */
  readonly emailChange: EmailChangeService;
  readonly userDeletion: UserDeletionService;
  readonly myDataExport: MyDataExportService;
  readonly webhookEndpoints: WebhookEndpointService;
  /** The outbox's delivery worker (webhooks/webhook-dispatcher.ts): started with the services, stopped by close(). */
  readonly webhookDispatcher: WebhookDispatcher;
}

export interface ServiceDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly prisma: PrismaClient;
  readonly hotPathSql: HotPathSql;
  /** Where the services count what happens (metrics/metrics.ts): noMetrics when /metrics is off. */
  readonly metrics: Metrics;
  /** Spans around work no instrumentation sees (password hashing); untraced when tracing is off. */
  readonly spans?: Spans;
}

/** Builds every service from configuration: plain objects, no container. close() releases Redis and the password-strength thread. */
export async function createServices(
  config: Config,
  { clock, logger, prisma, hotPathSql, metrics, spans }: ServiceDependencies,
): Promise<{ services: Services; accessTokens: AccessTokens; close(): Promise<void> }> {
  const roles = await RoleCatalog.load(prisma, new FeatureCatalog(config.features));
  const keys = deriveTokenKeys(config.tokens.secret);
  const accessTokens = new AccessTokens({
    keys: await AccessTokenKeys.create({
      hmacKey: keys.accessToken,
      signingKey: config.tokens.signingKey,
      previousPublicKeys: config.tokens.previousPublicKeys,
    }),
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
    ttlSeconds: config.tokens.accessTokenTtlSeconds,
    clockToleranceSeconds: config.tokens.clockToleranceSeconds,
    clock,
  });
  const hasher = new PasswordHasher({
    argon2: config.passwords.argon2,
    concurrency: config.passwords.hashConcurrency,
    queueLimit: config.passwords.hashQueueLimit,
    metrics,
    spans,
  });
  const audit = new AuditLog(prisma, clock, logger);
  const abuse = await createAbuseLimits({
    limits: config.limits,
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisKeyPrefix,
    logger,
    metrics,
  });
  // The hot paths' statements, behind the stores their services use (database/hot-path-sql.ts).
  const sessionStore = new SessionStore(hotPathSql, prisma, metrics);
  const loginReads = new LoginReadStore(hotPathSql);
  const grants = new SessionGrantIssuer({ accessTokens, roles, idleTtlSeconds: config.sessions.idleTtlSeconds });
  const refreshTokens = new RefreshTokenService({
    prisma,
    refreshTokenStore: new RefreshTokenStore(hotPathSql),
    sessionStore,
    grants,
    clock,
    logger,
    audit,
    refreshSuccessorKey: keys.refreshSuccessor,
    refreshReuseGraceSeconds: config.sessions.refreshReuseGraceSeconds,
    metrics,
  });
  const sessions = new SessionService({
    prisma,
    sessionStore,
    grants,
    refreshTokens,
    clock,
    audit,
    absoluteTtlSeconds: config.sessions.absoluteTtlSeconds,
    maxSessionsPerUser: config.sessions.maxPerUser,
  });
  const mailer: Mailer = config.mail.smtpUrl ? new SmtpMailer(config.mail.smtpUrl, config.mail.from) : new OutboxMailer(prisma, logger, { isLoggingLinks: config.isDevelopment });
  const emailTokens = new EmailTokens(prisma, clock);
  const passwordStrength = new PasswordStrengthEstimator();
  // Login reads only its lengths (a PasswordPolicy is also PasswordPolicyOptions); sign-up and password changes run its checks.
  const passwordPolicy = new PasswordPolicy({ minLength: config.passwords.minLength, maxLength: config.passwords.maxLength }, passwordStrength);
  const passwordConfirmation = new PasswordConfirmation({ hasher, limits: abuse.limits.login, audit, maxLength: passwordPolicy.maxLength * 2 });
  const emailVerification = new EmailVerificationService({
    prisma,
    tokens: emailTokens,
    mailer,
    audit,
    clock,
    logger,
    publicUrl: config.publicUrl,
    ttlSeconds: config.emailTokens.verificationTtlSeconds,
    mailLimit: abuse.limits.emailSend,
  });
  const twoFactorRequirements = new TwoFactorRequirementService({ prisma, audit });
  // The key that seals TOTP secrets seals webhook signing secrets too (each bound to its row): both must be recoverable, so neither can be hashed.
  const secretBox = new SecretBox(config.twoFactor.encryptionKey);
  const secondFactorCodes = new SecondFactorCodes({ clock, secretBox, recoveryCodeKey: keys.recoveryCode });
  const secondFactorProof = new SecondFactorProof({ prisma, audit, codes: secondFactorCodes, attempts: abuse.limits.twoFactor });
  const twoFactor = new TwoFactorService({
    prisma,
    audit,
    clock,
    codes: secondFactorCodes,
    proof: secondFactorProof,
    requirements: twoFactorRequirements,
    passwordConfirmation,
    attempts: abuse.limits.twoFactor,
    issuer: 'Gatehouse',
    metrics,
  });
  // For the changes a hijacked session must not make alone: the password, and the second factor where it is on.
  const sensitiveChanges = new SensitiveChangeConfirmation({
    prisma,
    passwordConfirmation,
    secondFactor: {
      spend: (user, code, actor, request) => secondFactorProof.spendOrRefuse(user, code, actor, 'SENSITIVE_CHANGE', request, async () => {}),
    },
  });
  const challenges = new SecondFactorChallenges({ prisma, clock, proof: secondFactorProof, challengeTtlSeconds: config.twoFactor.challengeTtlSeconds });
  const accountSelection = new AccountSelectionService({
    prisma,
    loginReads,
    sessions,
    clock,
    challenges,
    selectionTokenTtlSeconds: config.tokens.selectionTokenTtlSeconds,
  });
  // transferOwnership and deleteAccount: the password, in one place (a second factor joins there).
  const services: Services = {
    limits: abuse.limits,
    roles,
    sessions,
    refreshTokens,
    mySessions: new MySessionsService({ prisma, sessionStore, roles, clock, audit }),
    emailVerification,
    auditEvents: new AuditEventsService(prisma),
    passwords: new PasswordService({
      prisma,
      hasher,
      policy: passwordPolicy,
      tokens: emailTokens,
      mailer,
      confirmation: passwordConfirmation,
      audit,
      clock,
      logger,
      publicUrl: config.publicUrl,
      resetTtlSeconds: config.emailTokens.passwordResetTtlSeconds,
      mailLimit: abuse.limits.emailSend,
      metrics,
    }),
    signUp: new SignUpService({
      prisma,
      sessions,
      hasher,
      passwordPolicy,
      clock,
      limits: abuse.limits,
      emailVerification,
      // auth/ names only the interface: invitations/ sits above it.
      invitations: new InvitedSignUp({ prisma, roles, audit, clock }),
    }),
    login: new LoginService({ prisma, loginReads, sessions, hasher, passwordPolicy, audit, limits: abuse.limits, challenges, accountSelection, metrics }),
    accountSelection,
    membershipDirectory: new MembershipDirectory(prisma),
    memberships: new MembershipService({ prisma, roles, sessions, audit }),
    invitations: new InvitationService({
      prisma,
      roles,
      sessions,
      mailer,
      audit,
      clock,
      logger,
      limits: abuse.limits.invitations,
      publicUrl: config.publicUrl,
      ttlSeconds: config.invitations.ttlSeconds,
    }),
    accountRoles: new RoleService({ prisma, roles, audit, clock, maxRolesPerAccount: MAX_ROLES_PER_ACCOUNT }),
    invitationReads: new InvitationReads({ prisma, roles, clock }),
    twoFactor,
    twoFactorRequirements,
    accountCreation: new AccountCreationService({ prisma, sessions, accountSelection, clock, maxOwnedPerUser: config.accounts.maxOwnedPerUser }),
    accountLifecycle: new AccountLifecycleService({ prisma, roles, sessions, audit, clock, confirmation: sensitiveChanges }),
    ownershipTransfers: new OwnershipTransferService({ prisma, roles, audit, clock, confirmation: sensitiveChanges }),
    emailChange: new EmailChangeService({
      prisma,
      tokens: emailTokens,
      mailer,
      confirmation: sensitiveChanges,
      audit,
      clock,
      logger,
      publicUrl: config.publicUrl,
      ttlSeconds: config.emailTokens.verificationTtlSeconds,
      mailLimit: abuse.limits.emailSend,
      metrics,
    }),
    userDeletion: new UserDeletionService({ prisma, confirmation: sensitiveChanges, audit }),
    myDataExport: new MyDataExportService(prisma, clock),
    webhookEndpoints: new WebhookEndpointService({
      prisma,
      roles,
      audit,
      clock,
      secretBox,
      targets: config.webhooks,
      maxEndpointsPerAccount: MAX_WEBHOOK_ENDPOINTS_PER_ACCOUNT,
    }),
    webhookDispatcher: new WebhookDispatcher({ prisma, clock, logger, secretBox, config: config.webhooks }),
  };
  await syncOperatorEndpoints(prisma, config.webhooks.operatorEndpoints);
  services.webhookDispatcher.start();

  return {
    services,
    accessTokens,
    close: async () => {
      await Promise.all([abuse.close(), passwordStrength.close(), services.webhookDispatcher.stop()]);
    },
  };
}
