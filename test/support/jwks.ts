import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import type { TestServer } from './test-server';

const jwksUrl = (server: TestServer) => new URL(`${server.url}/.well-known/jwks.json`);

/** The published key set, with the response that carried it (for its headers). */
export async function fetchJwks(server: TestServer): Promise<{ response: Response; body: { keys: JWK[] } }> {
  const response = await fetch(jwksUrl(server));
  return { response, body: (await response.json()) as { keys: JWK[] } };
}

/** Exactly what another subgraph does: keys from the published set, issuer, audience and type pinned. */
export const verifyAsAnotherService = (server: TestServer, token: string) =>
  jwtVerify(token, createRemoteJWKSet(jwksUrl(server)), {
    issuer: server.config.tokens.issuer,
    audience: server.config.tokens.audience,
    typ: 'at+jwt',
  });
