import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Clock } from '../clock';
import { ErrorCode, ErrorReason, isAppError } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { createDataLoaders } from '../graphql/data-loaders';
import type { Logger } from '../logger';
import { CloseCode, judgeConnection } from '../session-events/connection-verdict';
import { GOING_AWAY, LiveConnection } from '../session-events/live-connection';
import type { LiveConnections } from '../session-events/live-connections';
import { viewerOf } from '../sessions/session-viewer';
import type { ViewerServices } from '../sessions/session-viewer';
import type { SessionService } from '../sessions/session.service';
import type { AccessTokens } from '../tokens/access-tokens';
import type { RequestLimits } from './request-limits';

/** What the socket's bearer check reads: the bearer check's own, and the session as it stands to explain a refusal. */
export type SessionEventsServices = ViewerServices & { readonly sessions: Pick<SessionService, 'findLive' | 'readSession'> };

export interface SessionEventsSocketOptions<Services extends SessionEventsServices> {
  readonly schema: GraphQLSchema;
  readonly accessTokens: AccessTokens;
  readonly services: Services;
  readonly prisma: PrismaClient;
  readonly connections: LiveConnections;
  readonly requestLimits: RequestLimits;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The HTTP endpoint's error formatter: an error that is not an AppError is masked on the socket too. */
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** A subscription document is a line or two; the same bound as HTTP's would let one socket queue megabytes. */
const MAX_MESSAGE_BYTES = 16 * 1024;
const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

interface Accepted<Services> {
  readonly connection: LiveConnection;
  readonly context: GraphQLContext<Services>;
}

/**
 * GraphQL over WebSocket (graphql-transport-ws) on /graphql, for `sessionEvents` only. The access token
 * travels in connection_init (`{ authorization: "Bearer …" }`: browsers cannot set headers on a
 * WebSocket) and is checked as the HTTP bearer check does, against the session as it stands: no token,
 * a bad one or an ended session close the socket with 4401, a membership that is gone with 4403.
 */
export interface SessionEventsSocket {
  /** Takes an HTTP upgrade request: /graphql becomes a socket, any other path is answered 400. */
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function serveSessionEvents<Services extends SessionEventsServices>(options: SessionEventsSocketOptions<Services>): SessionEventsSocket {
  const { connections, logger } = options;
  const accepted = new WeakMap<object, Accepted<Services>>();
  const webSocketServer = new WebSocketServer({ noServer: true, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const dispose = useServer(
    {
      schema: options.schema,
      // No connection_init within 3 s (graphql-ws's default) closes the socket: an unauthenticated one costs little and not for long.
      onConnect: async (ctx) => {
        const outcome = await authenticate(options, ctx.connectionParams, ctx.extra.request, ctx.extra.socket);
        if ('code' in outcome) {
          // Closed here with our code; graphql-ws's own close (4403) after `false` then finds the socket closing.
          ctx.extra.socket.close(outcome.code, outcome.reason);
          return false;
        }
        if (!connections.add(outcome.connection)) {
          ctx.extra.socket.close(CloseCode.FORBIDDEN, 'Too many connections for this session');
          return false;
        }
        accepted.set(ctx.extra.socket, outcome);
        return true;
      },
      // Subscriptions only, parsed and validated with the HTTP endpoint's limits: queries and mutations go
      // over HTTP, where the rate limits and the per-request plugins apply.
      onSubscribe: (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, options.requestLimits.parseOptions);
        } catch (error) {
          return [requestError(error instanceof GraphQLError ? error.message : 'Could not parse the document.', 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(options.schema, document, [...specifiedRules, ...options.requestLimits.validationRules]);
        // Coded as Apollo codes them over HTTP, so the formatter shows them as the caller's mistake, not a masked internal error.
        if (errors.length > 0) return errors.map((error) => requestError(error.message, 'GRAPHQL_VALIDATION_FAILED', error));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })];
        }
        const context = accepted.get(ctx.extra.socket)?.context;
        return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => options.formatError(error.toJSON(), error)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => options.formatError(error.toJSON(), error)),
      onClose: (ctx) => {
        const outcome = accepted.get(ctx.extra.socket);
        if (outcome) connections.remove(outcome.connection);
      },
    },
    webSocketServer,
  );
  webSocketServer.on('error', (error) => logger.warn({ err: error }, 'session events: WebSocket server error'));
  return {
    handleUpgrade: (request, socket, head) => {
      if (!webSocketServer.shouldHandle(request)) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        return;
      }
      webSocketServer.handleUpgrade(request, socket, head, (webSocket) => webSocketServer.emit('connection', webSocket, request));
    },
    close: async () => {
      connections.closeAll((connection) => void connection.end(GOING_AWAY, 'Server shutting down'));
      await dispose.dispose();
    },
  };
}

const requestError = (message: string, code: string, source?: GraphQLError): GraphQLError =>
  new GraphQLError(message, { nodes: source?.nodes, extensions: { ...source?.extensions, code } });

async function authenticate<Services extends SessionEventsServices>(
  options: SessionEventsSocketOptions<Services>,
  parameters: Readonly<Record<string, unknown>> | undefined,
  request: http.IncomingMessage,
  socket: { close(code: number, reason: string): void },
): Promise<Accepted<Services> | { code: CloseCode; reason: string }> {
  const header = parameters?.authorization ?? parameters?.Authorization;
  const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  if (!token) return { code: CloseCode.UNAUTHORIZED, reason: 'Expected { authorization: "Bearer <token>" } in connection_init' };
  let claims;
  try {
    claims = options.accessTokens.verify(token);
  } catch {
    return { code: CloseCode.UNAUTHORIZED, reason: 'INVALID_TOKEN' };
  }
  const claimed = { userId: claims.sub, sessionId: claims.sid, accountId: claims.acc };
  try {
    const live = await options.services.sessions.findLive(claimed);
    const viewer = viewerOf(live, options.services.roles);
    const connection = new LiveConnection({
      ...claimed,
      role: live.roleName,
      tokenExpiresAt: new Date(claims.exp * 1000),
      closeSocket: (code, reason) => socket.close(code, reason),
    });
    const userAgent = request.headers['user-agent'];
    const context: GraphQLContext<Services> = {
      viewer,
      tokenError: null,
      provenUserIds: new Set<string>(),
      request: { ip: request.socket.remoteAddress ?? null, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null },
      canReadSubgraphSchema: () => false,
      services: options.services,
      loaders: createDataLoaders(options.prisma),
      sessionEvents: connection,
    };
    return { connection, context };
  } catch (error) {
    if (!isAppError(error)) {
      options.logger.error({ err: error }, 'session events: could not authenticate a connection');
      return { code: CloseCode.UNAUTHORIZED, reason: 'Could not check the token' };
    }
    const reason = (error.extensions as { reason?: unknown }).reason;
    if (reason === ErrorReason.TWO_FACTOR_REQUIRED) return { code: CloseCode.FORBIDDEN, reason };
    // The same judgement as for an open socket: a removed member's (revoked) session is told 4403, as its socket would have been.
    const found = await options.services.sessions.readSession(claimed.sessionId).catch(() => null);
    const isTheirs = found !== null && found.session.userId === claimed.userId && found.session.accountId === claimed.accountId;
    const verdict = isTheirs ? judgeConnection({ role: '' }, found, null, options.clock.now()) : null;
    if (verdict?.kind === 'ended') return { code: verdict.code, reason: verdict.reason ?? String(reason) };
    return { code: reason === ErrorReason.NOT_A_MEMBER ? CloseCode.FORBIDDEN : CloseCode.UNAUTHORIZED, reason: typeof reason === 'string' ? reason : 'UNAUTHENTICATED' };
  }
}
