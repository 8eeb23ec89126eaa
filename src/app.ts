import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { Express } from 'express';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { Config } from './config/config';
import type { DatabaseQuery } from './database/database-query';
import type { StartingEmbeddedDatabase } from './database/embedded-database';
import { applyMigrations, listPendingMigrations, readMigrations } from './database/migrations';
import { openDatabase } from './database/open-database';
import type { Database } from './database/open-database';
import { createDevelopmentMailRouter } from './development-mail/development-mail';
import type { GraphQLContext } from './graphql/context';
import { apolloHandler } from './http/apollo-handler';
import { createCorsMiddleware } from './http/cors';
import { createDatabaseUnavailablePlugin } from './http/database-unavailable-plugin';
import { createErrorFormatter } from './http/format-error';
import { createContextBuilder, createInjectedIdentityContextBuilder } from './http/graphql-context';
import { createGraphqlPostRoute, expressPrototypes, GRAPHQL_PATH, isGraphqlPost } from './http/graphql-post-route';
import { createHealthRouter } from './http/health';
import { handleHttpErrors } from './http/http-errors';
import { createJwksRouter } from './http/jwks';
import { createMetricsExposure } from './http/metrics-exposure';
import type { MetricsExposure } from './http/metrics-exposure';
import { noStorePlugin } from './http/no-store-plugin';
import { createPlayground } from './http/playground';
import { assignRequestId } from './http/request-id';
import { createRequestLimits } from './http/request-limits';
import { createSecurityHeaders } from './http/security-headers';
import type { SessionEventsSocket } from './http/session-events-socket';
import { createSubgraphSchemaAccess } from './http/subgraph-schema-access';
import type { Viewer } from './identity/viewer';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { buildGatehouseSchema, createSchema } from './schema';
import { createServices } from './services';
import type { Services } from './services';
import { startSessionEvents } from './session-events/session-events';
import type { AccessTokens } from './tokens/access-tokens';
import { untraced } from './tracing/spans';
import type { Spans } from './tracing/spans';
import { backfillUsernameSkeletons } from './users/username-skeleton-backfill';

export interface AppDependencies {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Builds the app without its authentication layer: no bearer-token check, no permission rules, every
   * request acting as this viewer. Only the benchmark harness passes it, to measure what that layer
   * costs against an otherwise identical app; no configuration or environment variable reaches it, so a
   * deployed server always has the layer.
   */
  readonly withoutAuthLayer?: { readonly viewer: Viewer };
  /** The embedded database of config.database, its start begun before this module was loaded (main.ts). */
  readonly embeddedDatabase?: StartingEmbeddedDatabase;
}

export interface App {
  readonly express: Express;
  readonly httpServer: http.Server;
  readonly database: Database;
  readonly services: Services;
  readonly logger: Logger;
  /** Starts listening (and the metrics port, when METRICS_PORT is set); resolves with the bound port (useful with port 0). */
  listen(port?: number, host?: string): Promise<number>;
  /**
   * Turns /readyz to 503 so load balancers stop sending traffic; every request, new ones included, is
   * still served until close(). main.ts calls it on SIGTERM, SHUTDOWN_DRAIN_SECONDS before close().
   */
  beginDraining(): void;
  /** The metrics port as bound once listening (METRICS_PORT may be 0); null when /metrics has no port of its own. */
  metricsPort(): number | null;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

/** The composition root: everything wired from plain objects, nothing listening yet. */
export async function createApp(config: Config, dependencies: AppDependencies = {}): Promise<App> {
  const clock = dependencies.clock ?? systemClock;
  // Loaded only when tracing is on: with it off, nothing of OpenTelemetry is in the process (main.ts starts the SDK).
  const telemetry = config.tracing ? await import('./tracing/open-telemetry-spans') : null;
  const logger = dependencies.logger ?? createLogger(config, undefined, telemetry?.activeTraceLogFields);
  const spans = telemetry?.openTelemetrySpans ?? untraced;

  // LOG_LEVEL=trace also logs every statement (text and duration; parameters never leave the database layer).
  const onQuery = logger.isLevelEnabled('trace')
    ? (query: DatabaseQuery) => logger.trace({ sql: query.sql, durationMs: query.durationMs }, 'database query')
    : undefined;
  const database = await openDatabase(config.database, { onQuery }, dependencies.embeddedDatabase);
  try {
    const migrations = readMigrations();
    const pending = await listPendingMigrations(database.maintenanceSql, migrations);
    if (pending.length > 0) logger.info(`applying ${pending.length} database migrations`);
    const applied = await applyMigrations(database.maintenanceSql, migrations, pending);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
    await backfillUsernameSkeletons(database.maintenanceSql, logger);
    return await assemble(config, { clock, logger, spans }, database, dependencies.withoutAuthLayer);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function assemble(
  config: Config,
  { clock, logger, spans }: { clock: Clock; logger: Logger; spans: Spans },
  database: Database,
  withoutAuthLayer: AppDependencies['withoutAuthLayer'],
): Promise<App> {
  const exposure = createMetricsExposure(config.metrics, logger);
  const { services, accessTokens, close: closeServices } = await createServices(config, {
    clock,
    logger,
    spans,
    prisma: database.prisma,
    hotPathSql: database.hotPathSql,
    metrics: exposure.metrics,
  });
  try {
    return await serve(config, clock, logger, database, { services, accessTokens, closeServices, exposure }, withoutAuthLayer);
  } catch (error) {
    await closeServices().catch(() => undefined);
    throw error;
  }
}

async function serve(
  config: Config,
  clock: Clock,
  logger: Logger,
  database: Database,
  { services, accessTokens, closeServices, exposure }: { services: Services; accessTokens: AccessTokens; closeServices: () => Promise<void>; exposure: MetricsExposure },
  withoutAuthLayer: AppDependencies['withoutAuthLayer'],
): Promise<App> {
  const { prisma } = database;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Its request listener is added once the routes are built, below.
  const httpServer = http.createServer(expressPrototypes(app));

  const requestLimits = createRequestLimits(config.limits, { isProduction: config.isProduction });
  const playground = createPlayground(config.playgroundEnabled, GRAPHQL_PATH);
  const subgraphOptions = { authorizationDirectives: config.federationAuthorizationDirectives };
  const schema = withoutAuthLayer ? await buildGatehouseSchema(subgraphOptions) : await createSchema(subgraphOptions, exposure.metrics.authorizationDenied);
  const formatError = createErrorFormatter(logger, config.isDevelopment);
  const apollo = new ApolloServer<GraphQLContext<Services>>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: config.isDevelopment,
    introspection: config.introspectionEnabled,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      noStorePlugin,
      createDatabaseUnavailablePlugin(logger),
      playground.landingPagePlugin,
      // A subgraph would otherwise attach an execution trace (timings, unmasked error messages) to every
      // response a gateway asks one for; traces are for Apollo Studio, which Gatehouse does not report to.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo's cache-control plugin computes a cache policy field by field, wrapping every resolver to do
      // it, for responses that are all `no-store` (no-store-plugin.ts): its work could never be used.
      ApolloServerPluginCacheControlDisabled(),
      ...requestLimits.plugins,
      ...exposure.plugins,
    ],
    validationRules: requestLimits.validationRules,
    parseOptions: requestLimits.parseOptions,
    // A JSON array of operations would multiply every per-request limit (auth mutations, cost): one operation per request.
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would let any anonymous caller write documents into a cache every
    // request shares, to save a few hundred bytes per operation: off (README, "Persisted queries").
    persistedQueries: false,
    // main.ts owns shutdown (drain, close the database, exit 0); Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  if (!config.introspectionEnabled && config.gatewaySecret === null) {
    logger.info('GATEWAY_SECRET is not set: _service { sdl } is refused to everyone; compose the supergraph from schema.graphql');
  }
  const subgraphSchemaAccess = createSubgraphSchemaAccess(config);

  // First of all: every response, errors and health checks included, carries its request id and these
  // headers, and every log line written while handling it carries the id. Timed from after the id on, so
  // every response counts (a refused one too).
  const everyRequest = [assignRequestId(), ...(exposure.timing ? [exposure.timing] : []), ...createSecurityHeaders()];
  app.use(...everyRequest);
  if (exposure.endpoint) app.use(exposure.endpoint);
  let isDraining = false;
  app.use(createHealthRouter(database, { isDraining: () => isDraining }));
  const corsMiddleware = createCorsMiddleware(config.corsOrigins);
  // First on /graphql, ahead of the playground router too: Express would answer a preflight for its GET
  // route itself (200, no CORS headers), and every answer must carry the headers.
  const graphqlCors = corsMiddleware ? [corsMiddleware] : [];
  if (corsMiddleware) app.use(GRAPHQL_PATH, corsMiddleware);
  app.use(createJwksRouter(accessTokens.jsonWebKeySet));
  app.use(playground.router);
  app.use(createDevelopmentMailRouter(config, prisma));
  const context = withoutAuthLayer
    ? createInjectedIdentityContextBuilder({ services, prisma, subgraphSchemaAccess, viewer: withoutAuthLayer.viewer })
    : createContextBuilder({ accessTokens, services, prisma, subgraphSchemaAccess });
  const graphqlHandlers = [express.json({ limit: config.graphqlBodyLimit }), apolloHandler(apollo, context)];
  app.use(GRAPHQL_PATH, ...graphqlHandlers);
  const httpErrors = handleHttpErrors(logger);
  app.use(httpErrors);
  // Every GraphQL request takes the direct route: the same middleware, in the same order, minus the routes
  // a POST to /graphql never matches. Everything else (health, JWKS, the playground, GET /graphql) is Express's.
  const graphqlPost = createGraphqlPostRoute(app, [...everyRequest, ...graphqlCors, ...graphqlHandlers], httpErrors);
  httpServer.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
    isGraphqlPost(request) ? graphqlPost(request, response) : app(request, response),
  );
  // `sessionEvents` over WebSocket on the same path; one LISTEN per instance tells its sockets what changed.
  const sessionEvents = await startSessionEvents({ database, readSession: (sessionId) => services.sessions.readSession(sessionId), clock, logger });
  // ws and graphql-ws are loaded at the first upgrade request: an instance no client subscribes to never pays for them.
  let sessionEventsSocket: Promise<SessionEventsSocket> | null = null;
  httpServer.on('upgrade', (request, socket, head) => {
    sessionEventsSocket ??= import('./http/session-events-socket').then(({ serveSessionEvents }) =>
      serveSessionEvents({ schema, accessTokens, services, prisma, connections: sessionEvents.connections, requestLimits, clock, logger, formatError }),
    );
    sessionEventsSocket.then(
      (server) => server.handleUpgrade(request, socket, head),
      (error: unknown) => {
        logger.error({ err: error }, 'session events: could not start the WebSocket server');
        socket.destroy();
      },
    );
  });

  let isClosed = false;
  let metricsPort: number | null = null;
  return {
    express: app,
    httpServer,
    database,
    services,
    logger,
    listen: async (port = config.port, host = config.host) => {
      metricsPort = await exposure.listen();
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      });
    },
    metricsPort: () => metricsPort,
    beginDraining: () => {
      isDraining = true;
    },
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      isDraining = true;
      // Sockets first (1001: reconnect elsewhere), then apollo.stop() drains the HTTP server (in-flight
      // requests finish) before we close the database under them.
      await (await sessionEventsSocket?.catch(() => null))?.close();
      await sessionEvents.close();
      await apollo.stop();
      await exposure.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeServices();
      await database.close();
    },
  };
}
