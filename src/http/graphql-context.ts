import type { Request } from 'express';
import { asDatabaseUnavailable } from '../database/database-unavailable';
import { ErrorReason, isAppError, unauthenticated } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { createDataLoaders } from '../graphql/data-loaders';
import type { Viewer } from '../identity/viewer';
import { viewerOf } from '../sessions/session-viewer';
import type { ViewerServices } from '../sessions/session-viewer';
import type { AccessTokens } from '../tokens/access-tokens';
import { readRequestMetadata } from './request-metadata';
import type { SubgraphSchemaAccess } from './subgraph-schema-access';

export interface ContextBuilderOptions<Services extends ViewerServices> {
  readonly accessTokens: AccessTokens;
  /** Handed to every resolver in the context. */
  readonly services: Services;
  readonly prisma: PrismaClient;
  readonly subgraphSchemaAccess: SubgraphSchemaAccess;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/**
 * Authorization header → viewer. The JWT is verified (algorithm pinned, issuer, audience, expiry),
 * then its session is looked up by primary key with its user and the member's current role, so
 * logout, revocation and a role change take effect at once. That lookup also loads the user, which
 * `me` then reads from the loader without a second query. The token's claims name the session; what
 * the viewer may do is read from the database, never from the claims.
 */
export function createContextBuilder<Services extends ViewerServices>(options: ContextBuilderOptions<Services>) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext<Services>> => {
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
      const live = await options.services.sessions.findLive({ userId: claims.sub, sessionId: claims.sid, accountId: claims.acc });
      loaders.users.prime(live.session.user.id, live.session.user);
      return { ...base, viewer: viewerOf(live, options.services.roles), tokenError: null };
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
export function createInjectedIdentityContextBuilder<Services>(options: RequestContextOptions<Services> & { readonly viewer: Viewer }) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext<Services>> => ({ ...requestContext(req, options), viewer: options.viewer, tokenError: null });
}

type RequestContextOptions<Services> = Pick<ContextBuilderOptions<ViewerServices>, 'prisma' | 'subgraphSchemaAccess'> & { readonly services: Services };

/** Everything of a request's context but who the caller is. */
function requestContext<Services>(req: Request, options: RequestContextOptions<Services>): Omit<GraphQLContext<Services>, 'viewer' | 'tokenError'> {
  return {
    request: readRequestMetadata(req),
    // Asked only by the rule on `_service`: no request pays for comparing a header it never needs.
    canReadSubgraphSchema: () => options.subgraphSchemaAccess(req),
    services: options.services,
    loaders: createDataLoaders(options.prisma),
    provenUserIds: new Set<string>(),
  };
}
