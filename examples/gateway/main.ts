import { runExample, serveGraphql } from '../shared/serve-graphql';
import { callerCredentials, createGateway } from './gateway';
import type { GatewayContext } from './gateway';
import { parseSubgraphList } from './supergraph';
import type { Subgraph } from './supergraph';

/** Gatehouse's header for its gateway secret (src/http/subgraph-schema-access.ts). */
const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/**
 * The example gateway of docker-compose.yml: Apollo Gateway in front of Gatehouse and the reviews
 * subgraph. PORT (4100), GATEWAY_SUBGRAPHS ("name=url,name=url"), GATEWAY_SECRET (what Gatehouse has
 * as its own GATEWAY_SECRET: in production it shows its SDL to no one else). GET /healthz answers once
 * the supergraph is composed and the server listens.
 */
runExample(async () => {
  const listed = parseSubgraphList(process.env.GATEWAY_SUBGRAPHS ?? 'gatehouse=http://localhost:4000/graphql');
  const subgraphs = withGatewaySecret(listed, process.env.GATEWAY_SECRET);
  const gateway = await composeWithRetries(() => createGateway(subgraphs));
  const served = await serveGraphql<GatewayContext>({ gateway }, callerCredentials, Number(process.env.PORT ?? 4100));
  console.log(`Gateway on http://localhost:${served.port}/graphql over ${subgraphs.map((subgraph) => subgraph.name).join(', ')}`);
  return served;
});

/** The secret goes to the subgraph named gatehouse alone: no other subgraph needs it, or should see it. */
function withGatewaySecret(subgraphs: readonly Subgraph[], secret: string | undefined): Subgraph[] {
  if (!secret) return [...subgraphs];
  return subgraphs.map((subgraph) => (subgraph.name === 'gatehouse' ? { ...subgraph, introspectionHeaders: { [GATEWAY_SECRET_HEADER]: secret } } : subgraph));
}

/** Subgraphs may still be starting: try for a minute before giving up. */
async function composeWithRetries<T>(compose: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await compose();
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.warn(`Composition attempt ${attempt} failed (${(error as Error).message}); retrying in 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
