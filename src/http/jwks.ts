import { Router } from 'express';
import type { JsonWebKeySet } from '../tokens/access-token-keys';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * How long verifiers may cache the set. A rotation publishes the next key at least this long before
 * it signs (README, "Verifying tokens in other services"); verifiers that meet an unknown `kid`
 * refetch sooner anyway (jose does, after a 30 s cool-down).
 */
export const JWKS_MAX_AGE_SECONDS = 300;

/** GET /.well-known/jwks.json: the public keys access tokens are signed with, for other services. */
export function createJwksRouter(keySet: JsonWebKeySet): Router {
  // The set is fixed for the life of the process, so it is serialized once.
  const body = JSON.stringify(keySet);
  const router = Router();
  router.get(JWKS_PATH, (_request, response) => {
    response
      .set({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
        // Public keys only: any origin may read them, so a browser-side verifier works too.
        'access-control-allow-origin': '*',
      })
      .send(body);
  });
  return router;
}
