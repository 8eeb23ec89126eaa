import type { Request } from 'express';
import type { Permission, RoleCatalog } from '../accounts/roles';
import { createDataLoaders } from './data-loaders';
import type { DataLoaders } from './data-loaders';
import { asDatabaseUnavailable } from '../database/database-unavailable';
import { ErrorReason, isAppError, unauthenticated } from '../errors';
import type { AppError } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { readRequestMetadata } from '../http/request-metadata';
import type { RequestMetadata } from '../http/request-metadata';
import type { SubgraphSchemaAccess } from '../http/subgraph-schema-access';
import type { Services } from '../services';
import type { LiveSession } from '../sessions/session.service';
import type { AccessTokens } from '../tokens/access-tokens';

/** The caller behind a valid access token whose session is still live. */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly accountId: string;
  /**
   * The membership's role as the database holds it now, read with the session: never the token's
   * `role` claim, which is only as fresh as the token's last refresh.
   */
  readonly role: string;
  /** The role's permissions, or none while the email is unverified (RoleCatalog.permissionsOfMember). */
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
   * what that means per field: see permissions/rules.ts. Set mid-request too, when a mutation of this
   * request ended the session (see permissions/mutation-viewer.ts).
   */
  tokenError: AppError | null;
  /**
   * Users this request proved to be without a session (an email link): the response may show them
   * their own user, as if signed in, and nothing more.
   */
  readonly provenUserIds: Set<string>;
  readonly request: RequestMetadata;
  /** The request may read the subgraph SDL (`_service`): see http/subgraph-schema-access.ts. */
  readonly canReadSubgraphSchema: () => boolean;
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
 * then its session is looked up by primary key with its user and the member's current role, so
 * logout, revocation and a role change take effect at once. That lookup also loads the user, which
 * `me` then reads from the loader without a second query. The token's claims name the session; what
 * the viewer may do is read from the database, never from the claims.
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

/** The viewer a live session makes: its ids, and the rights of the member's current role (none before verification). */
export function viewerOf({ session, roleName }: LiveSession, roles: RoleCatalog): Viewer {
  return {
    userId: session.userId,
    sessionId: session.id,
    accountId: session.accountId,
    role: roleName,
    access: roles.permissionsOfMember(roleName, session.user.emailVerifiedAt !== null),
    clientId: session.clientId,
    emailVerified: session.user.emailVerifiedAt !== null,
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
    // Asked only by the rule on `_service`: no request pays for comparing a header it never needs.
    canReadSubgraphSchema: () => options.subgraphSchemaAccess(req),
    services: options.services,
    loaders: createDataLoaders(options.prisma),
    provenUserIds: new Set<string>(),
  };
}
