import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Every GraphQL response here is personal and many carry tokens: no shared or browser cache may keep
 * one (RFC 6749 §5.1 asks the same of token responses).
 */
export const noStorePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
        response.http.headers.set('pragma', 'no-cache');
      },
    };
  },
};
