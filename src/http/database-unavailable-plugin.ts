import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { DATABASE_RETRY_AFTER_SECONDS, findDatabaseFailure } from '../database/database-unavailable';
import type { DatabaseFailure } from '../database/database-unavailable';
import type { Logger } from '../logger';

/**
 * A request the database failed answers HTTP 503 with Retry-After, whatever part of it failed, so load
 * balancers, gateways and retrying clients see an outage for what it is (formatError gives each such
 * error its SERVICE_UNAVAILABLE body). The context builder's failure carries its 503 itself (see
 * DatabaseUnavailableError): Apollo answers that one before any request hook runs.
 *
 * Logged once per request, at warn: an outage is the operator's to see, but one line per failed field
 * would drown the log exactly when it matters. Codes and kinds only: no query, no variables.
 */
export function createDatabaseUnavailablePlugin(logger: Logger): ApolloServerPlugin {
  const warn = (failure: DatabaseFailure, operationName: string | null) =>
    logger.warn({ database: failure, operationName }, 'database unavailable: request answered 503');
  return {
    async contextCreationDidFail({ error }) {
      const failure = findDatabaseFailure(error);
      if (failure) warn(failure, null);
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, response, request }) {
          const failure = firstDatabaseFailure(errors);
          if (!failure) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
          warn(failure, request.operationName ?? null);
        },
      };
    },
  };
}

function firstDatabaseFailure(errors: readonly GraphQLError[]): DatabaseFailure | null {
  for (const error of errors) {
    const failure = findDatabaseFailure(error);
    if (failure) return failure;
  }
  return null;
}
