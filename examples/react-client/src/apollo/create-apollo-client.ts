import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { RefreshTokenDocument } from '../gql/graphql';
import generatedPossibleTypes from '../gql/possible-types';
import { TokenRefresher } from '../session/token-refresher';
import type { TokenStore } from '../session/token-store';
import { createAuthorizationLink } from './authorization-link';
import { KEEP_TOKENS_OUT_OF_CACHE } from './keep-tokens-out-of-cache';
import { createRefreshOnExpiryLink } from './refresh-on-expiry-link';
import { createSessionEndLink } from './session-end-link';

export interface GatehouseClient {
  readonly apollo: ApolloClient;
  readonly refresher: TokenRefresher;
}

/**
 * Apollo Client on Gatehouse. Links, outermost first: forget a session the server ended; refresh and
 * retry on an expired access token; attach the Authorization header; HTTP.
 */
export function createGatehouseClient(store: TokenStore, graphqlUrl: string): GatehouseClient {
  const refresher = new TokenRefresher(
    store,
    async (refreshToken) => {
      const { data } = await apollo.mutate({
        mutation: RefreshTokenDocument,
        variables: { input: { refreshToken } },
        context: { skipsAuthorization: true },
        ...KEEP_TOKENS_OUT_OF_CACHE,
      });
      if (!data) throw new Error('refreshToken answered without data');
      return data.refreshToken;
    },
    (error) => CombinedGraphQLErrors.is(error),
  );
  const apollo: ApolloClient = new ApolloClient({
    link: ApolloLink.from([
      createSessionEndLink(store),
      createRefreshOnExpiryLink(refresher),
      createAuthorizationLink(store, refresher),
      new HttpLink({ uri: graphqlUrl }),
    ]),
    // Which types each union (LoginResult) may be, generated from the schema: Apollo then matches
    // `... on AuthPayload` exactly instead of guessing (and warning).
    cache: new InMemoryCache({ possibleTypes: generatedPossibleTypes.possibleTypes }),
  });
  // Whatever ends the session (logout, a refused refresh), nothing of the last user stays in memory.
  store.subscribe(() => {
    if (!store.hasSession()) void apollo.clearStore();
  });
  return { apollo, refresher };
}
