import { runExample, serveGraphql } from '../shared/serve-graphql';
import { createReviewsSchema } from './reviews-subgraph';

/** The example reviews subgraph of docker-compose.yml. PORT (4200); GET /healthz answers once it listens. */
runExample(async () => {
  const served = await serveGraphql({ schema: createReviewsSchema() }, async () => ({}), Number(process.env.PORT ?? 4200));
  console.log(`Reviews subgraph on http://localhost:${served.port}/graphql`);
  return served;
});
