import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Config } from '../config/config';

/** The header a federation gateway sends GATEWAY_SECRET in, to read `_service { sdl }` while introspection is off. */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/** Whether a request may read the subgraph SDL (`Query._service`). */
export type SubgraphSchemaAccess = (request: Request) => boolean;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The SDL is the whole schema: with introspection on anyone could read it anyway, so `_service` is open;
 * with it off (production) only a gateway holding GATEWAY_SECRET reads it, and nobody when none is set
 * (gateways then compose from the committed schema.graphql). Digests of equal length are compared, so
 * neither the secret's bytes nor its length show in how long a refusal takes.
 */
export function createSubgraphSchemaAccess(config: Pick<Config, 'introspectionEnabled' | 'gatewaySecret'>): SubgraphSchemaAccess {
  if (config.introspectionEnabled) return () => true;
  if (config.gatewaySecret === null) return () => false;
  const expected = sha256(config.gatewaySecret);
  return (request) => {
    const presented = request.get(GATEWAY_SECRET_HEADER);
    return presented !== undefined && timingSafeEqual(sha256(presented), expected);
  };
}
