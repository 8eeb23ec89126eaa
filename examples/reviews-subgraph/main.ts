import { runExample, serveGraphql } from '../shared/serve-graphql';
import { createCallerVerifier } from './gatehouse-token';
import { createReviewsSchema, reviewsContext } from './reviews-subgraph';

/**
 * The example reviews subgraph of docker-compose.yml. PORT (4200); GATEHOUSE_JWKS_URL (Gatehouse's
 * /.well-known/jwks.json), GATEHOUSE_ISSUER and GATEHOUSE_AUDIENCE (what Gatehouse has as JWT_ISSUER
 * and JWT_AUDIENCE, `gatehouse` by default). GET /healthz answers once it listens.
 */
runExample(async () => {
  const verifyCaller = createCallerVerifier({
    jwksUrl: new URL(process.env.GATEHOUSE_JWKS_URL ?? 'http://localhost:4000/.well-known/jwks.json'),
    issuer: process.env.GATEHOUSE_ISSUER ?? 'gatehouse',
    audience: process.env.GATEHOUSE_AUDIENCE ?? 'gatehouse',
  });
  const served = await serveGraphql({ schema: createReviewsSchema() }, reviewsContext(verifyCaller), Number(process.env.PORT ?? 4200));
  console.log(`Reviews subgraph on http://localhost:${served.port}/graphql`);
  return served;
});
