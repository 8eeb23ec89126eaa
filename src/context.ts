import type { Request } from 'express';
import type { Permission } from './accounts/roles';
import { createDataLoaders } from './data-loaders';
import type { DataLoaders } from './data-loaders';
import { asDatabaseUnavailable } from './database-unavailable';
import { ErrorReason, isAppError, unauthenticated } from './errors';
import type { AppError } from './errors';
import type { PrismaClient } from './generated/prisma/client';
import { readRequestMetadata } from './http/request-metadata';
import type { RequestMetadata } from './http/request-metadata';
import type { SubgraphSchemaAccess } from './http/subgraph-schema-access';
import type { Services } from './services';
import type { AccessTokens } from './tokens/access-tokens';

/** The caller behind a valid access token whose session is still live. */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly accountId: string;
  readonly role: string;
  readonly access: readonly Permission[];
  readonly clientId: string | null;
  /** Read with the session on every request, so verifying takes effect at once. */
  readonly emailVerified: boolean;
}

export interface GraphQLContext {
  /**
   * Set from the bearer token; replaced when a mutation in this request authenticates (signUp, login,
   * refresh …), so the payload it returns is read with the new session's rights.
   */
  viewer: Viewer | null;
  /**
   * Why a presented bearer token was refused (null when none was sent or it was good). Rules decide
   * what that means per field: see permissions/rules.ts.
   */
  readonly tokenError: AppError | null;
  /**
   * Users this request proved to be without a session (an email link): the response may show them
   * their own user, as if signed in, and nothing more.
   */
  readonly provenUserIds: Set<string>;
  readonly request: RequestMetadata;
  /** The request may read the subgraph SDL (`_service`): see http/subgraph-schema-access.ts. */
  readonly canReadSubgraphSchema: boolean;
  readonly services: Services;
  readonly loaders: DataLoaders;
}

export interface ContextBuilderOptions {
  readonly accessTokens: AccessTokens;
  readonly services: Services;
  readonly prisma: PrismaClient;
  readonly subgraphSchemaAccess: SubgraphSchemaAccess;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/**
 * Authorization header → viewer. The JWT is verified (algorithm pinned, issuer, audience, expiry),
 * then its session is looked up by primary key, so logout and revocation take effect at once. That
 * lookup also loads the user, which `me` then reads from the loader without a second query.
 */
export function createContextBuilder(options: ContextBuilderOptions) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext> => {
    const base = requestContext(req, options);
    const { loaders } = base;
    const header = req.get('authorization');
    if (header === undefined || header.trim() === '') return { ...base, viewer: null, tokenError: null };

    const token = BEARER.exec(header)?.[1];
    if (!token) {
      return { ...base, viewer: null, tokenError: unauthenticated(ErrorReason.INVALID_TOKEN, 'Expected "Authorization: Bearer <token>".') };
    }
    try {
      const claims = options.accessTokens.verify(token);
      const session = await options.services.sessions.findLive(claims);
      loaders.users.prime(session.user.id, session.user);
      const viewer: Viewer = {
        userId: claims.sub,
        sessionId: claims.sid,
        accountId: claims.acc,
        role: claims.role,
        access: options.services.roles.permissionsOf(claims.role),
        clientId: session.clientId,
        emailVerified: session.user.emailVerifiedAt !== null,
      };
      return { ...base, viewer, tokenError: null };
    } catch (error) {
      // Unreachable database: SERVICE_UNAVAILABLE with its 503, not Apollo's 500 "Context creation failed".
      const unavailable = asDatabaseUnavailable(error);
      if (unavailable !== error) throw unavailable;
      if (!isAppError(error)) throw error;
      return { ...base, viewer: null, tokenError: error };
    }
  };
}

/**
 * For an app built without the auth layer (AppDependencies.withoutAuthLayer, benchmarks only): no
 * token is read, every request is `viewer`. The rest of the context is built as above, so the two
 * apps differ by exactly the layer being measured.
 */
export function createInjectedIdentityContextBuilder(options: RequestContextOptions & { readonly viewer: Viewer }) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext> => ({ ...requestContext(req, options), viewer: options.viewer, tokenError: null });
}

type RequestContextOptions = Pick<ContextBuilderOptions, 'services' | 'prisma' | 'subgraphSchemaAccess'>;

/** Everything of a request's context but who the caller is. */
function requestContext(req: Request, options: RequestContextOptions): Omit<GraphQLContext, 'viewer' | 'tokenError'> {
  return {
    request: readRequestMetadata(req),
    canReadSubgraphSchema: options.subgraphSchemaAccess(req),
    services: options.services,
    loaders: createDataLoaders(options.prisma),
    provenUserIds: new Set<string>(),
  };
}
