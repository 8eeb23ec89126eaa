import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Express } from 'express';
import { MembershipService } from './accounts/membership.service';
import { RoleCatalog } from './accounts/roles';
import { AuditLog } from './audit/audit-log';
import { AuthService } from './auth/auth.service';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { Config } from './config';
import { createContextBuilder } from './context';
import type { GraphQLContext } from './context';
import { openDatabase } from './database';
import type { Database } from './database';
import type { Mailer } from './email/mailer';
import { OutboxMailer } from './email/outbox-mailer';
import { SmtpMailer } from './email/smtp-mailer';
import { createErrorFormatter } from './http/format-error';
import { createHealthRouter } from './http/health';
import { handleHttpErrors } from './http/http-errors';
import { noStorePlugin } from './http/no-store-plugin';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { applyMigrations } from './migrations';
import { PasswordHasher } from './passwords/password-hasher';
import { createSchema } from './schema';
import type { Services } from './services';
import { SessionService } from './sessions/session.service';
import { AccessTokens } from './tokens/access-tokens';
import { deriveTokenKeys } from './tokens/keys';

export interface AppDependencies {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface App {
  readonly express: Express;
  readonly httpServer: http.Server;
  readonly database: Database;
  readonly services: Services;
  readonly logger: Logger;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port?: number, host?: string): Promise<number>;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

/** The composition root: everything wired from plain objects, nothing listening yet. */
export async function createApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const clock = dependencies.clock ?? systemClock;
  const logger = dependencies.logger ?? createLogger(config);

  const database = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(database.sql);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
    return await assemble(config, clock, logger, database);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function assemble(config: Config, clock: Clock, logger: Logger, database: Database): Promise<App> {
  const { prisma } = database;
  const roles = await RoleCatalog.load(prisma);
  const keys = deriveTokenKeys(config.tokens.secret);
  const accessTokens = new AccessTokens({
    key: keys.accessToken,
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
  });
  const sessions = new SessionService({
    prisma,
    accessTokens,
    roles,
    clock,
    logger,
    refreshSuccessorKey: keys.refreshSuccessor,
    idleTtlSeconds: config.sessions.idleTtlSeconds,
    absoluteTtlSeconds: config.sessions.absoluteTtlSeconds,
    refreshReuseGraceSeconds: config.sessions.refreshReuseGraceSeconds,
  });
  const audit = new AuditLog(prisma, clock, logger);
  const mailer: Mailer = config.mail.smtpUrl ? new SmtpMailer(config.mail.smtpUrl, config.mail.from) : new OutboxMailer(prisma, logger);
  const services: Services = {
    audit,
    mailer,
    roles,
    sessions,
    auth: new AuthService({
      prisma,
      sessions,
      hasher,
      passwordPolicy: { minLength: config.passwords.minLength, maxLength: config.passwords.maxLength },
      clock,
      logger,
      selectionTokenTtlSeconds: config.tokens.selectionTokenTtlSeconds,
    }),
    memberships: new MembershipService({ prisma, roles, sessions }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GraphQLContext>({
    schema: await createSchema(),
    formatError: createErrorFormatter(logger, config.isDevelopment),
    includeStacktraceInErrorResponses: config.isDevelopment,
    introspection: !config.isProduction,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), noStorePlugin],
    // main.ts owns shutdown (drain, close the database, exit 0); Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.use(createHealthRouter(database));
  app.use(
    '/graphql',
    express.json({ limit: config.graphqlBodyLimit }),
    expressMiddleware(apollo, { context: createContextBuilder({ accessTokens, services, prisma }) }),
  );
  app.use(handleHttpErrors(logger));

  let isClosed = false;
  return {
    express: app,
    httpServer,
    database,
    services,
    logger,
    listen: (port = config.port, host = config.host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      // apollo.stop() drains the HTTP server (in-flight requests finish) before we close the database under them.
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await database.close();
    },
  };
}
