import type { AppError } from '../errors';
import type { RequestMetadata } from '../identity/request-metadata';
import type { SessionEventFeed } from '../identity/session-event';
import type { Viewer } from '../identity/viewer';
import type { DataLoaders } from './data-loaders';

/**
 * One request's context. `Services` is what a resolver reaches through it, each resolver naming the
 * services it uses (GraphQLContext<{ readonly passwords: PasswordService }>): the composition root
 * (services.ts) hands every one of them in, and a resolver that reached a service of a higher layer would
 * have to import it, where the architecture lint sees it.
 */
export interface GraphQLContext<Services = unknown> {
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
  /** On a WebSocket operation only: the connection's session events (`sessionEvents`, session-events/). */
  readonly sessionEvents?: SessionEventFeed;
}
