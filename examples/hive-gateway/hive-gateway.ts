import { createGatewayRuntime } from '@graphql-hive/gateway';
import type { GatewayRuntime } from '@graphql-hive/gateway';
import { createRemoteJwksSigningKeyProvider, useJWT } from '@graphql-yoga/plugin-jwt';
import { GATEHOUSE_ALGORITHMS } from '../shared/gatehouse-token-settings';
import type { GatehouseTokenSettings } from '../shared/gatehouse-token-settings';

/**
 * Hive Gateway over a supergraph in which Gatehouse publishes its authorization directives
 * (FEDERATION_AUTHORIZATION_DIRECTIVES=true): the gateway verifies the bearer token against Gatehouse's
 * JWKS and refuses a field marked @authenticated or @requiresScopes that the token does not satisfy,
 * before any subgraph is asked. Serve it with `http.createServer(gateway)`.
 *
 * The gateway's check is an early refusal, never the only one: the caller's Authorization header still
 * goes to every subgraph, and Gatehouse (sessions, revocation, the current role) and each subgraph
 * verify it themselves.
 */
export function createHiveGateway(supergraph: string, tokens: GatehouseTokenSettings): GatewayRuntime {
  return createGatewayRuntime({
    supergraph,
    logging: 'warn',
    plugins: () => [
      // The JWT plugin Hive Gateway's own `jwt` option is built on; it puts the verified claims in `context.jwt`.
      useJWT({
        signingKeyProviders: [createRemoteJwksSigningKeyProvider({ jwksUri: tokens.jwksUrl.href })],
        tokenVerification: { issuer: tokens.issuer, audience: tokens.audience, algorithms: GATEHOUSE_ALGORITHMS },
        // No token is an anonymous caller (login, signUp and public fields need none); a bad one is refused outright.
        reject: { missingToken: false, invalidToken: true },
      }),
    ],
    genericAuth: {
      // Enforce @authenticated and @requiresScopes field by field; the scopes are the token's `scope` claim.
      mode: 'protect-granular',
      resolveUserFn: (context) => context.jwt?.payload,
      // As Apollo Router does: an unauthorized field is null with an error, the rest of the operation is served.
      rejectUnauthenticated: false,
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }): Record<string, string> => {
        const authorization = request.headers.get('authorization');
        return authorization ? { authorization } : {};
      },
    },
  });
}
