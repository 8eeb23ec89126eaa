import { ME, REFRESH } from './documents';
import type { Viewer } from './documents';
import type { GraphQLResponse, TypedDocument } from './graphql-client';
import type { TestServer } from './test-server';

/** Presenting tokens to the service and reading how it answers. */

/** Asks `me` as the bearer of `accessToken`; the raw response. Another document for another selection of the viewer (ME_ID). */
export function presentToMe(server: TestServer, accessToken: string): Promise<GraphQLResponse<{ me: Viewer | null }>>;
export function presentToMe<Data extends { me: unknown }>(server: TestServer, accessToken: string, document: TypedDocument<Data>): Promise<GraphQLResponse<Data>>;
export function presentToMe(server: TestServer, accessToken: string, document: TypedDocument<{ me: unknown }> = ME) {
  return server.graphql(document, {}, { token: accessToken });
}

/** Presents a refresh token; the raw response, so a test can assert on the refusal as well as the pair. */
export const presentRefreshToken = (server: TestServer, refreshToken: string, clientId?: string | null) =>
  server.graphql(REFRESH, { input: { refreshToken, clientId } });

/** Asserts that `me` refused the access token with UNAUTHENTICATED and `reason`, without a server error or a viewer. */
export function expectAccessTokenRefused(response: GraphQLResponse<{ me: unknown }>, reason = 'INVALID_TOKEN'): void {
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  expect(response.data?.me ?? null).toBeNull();
}
