import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { createCallerVerifier } from '../../examples/reviews-subgraph/gatehouse-token';
import { createReviewsSchema, reviewsContext } from '../../examples/reviews-subgraph/reviews-subgraph';
import type { Review } from '../../examples/reviews-subgraph/reviews-subgraph';
import type { GatehouseTokenSettings } from '../../examples/shared/gatehouse-token-settings';
import { serveGraphql } from '../../examples/shared/serve-graphql';
import type { ServedGraphql } from '../../examples/shared/serve-graphql';
import { loopbackGraphqlUrl, postGraphql, typedDocument } from '../support/graphql-client';
import type { TypedDocument } from '../support/graphql-client';
import { startRs256Server } from '../support/rs256-server';
import type { Rs256Server } from '../support/rs256-server';
import { generateRsaKeyPair } from '../support/signing-keys';
import { decodeJwtPayload } from '../support/tokens';

const POST_REVIEW = typedDocument<{ postReview: { body: string; author: { id: string } } | null }>(
  'mutation Post($body: String!) { postReview(body: $body) { body author { id } } }',
);

async function serveReviews(settings: GatehouseTokenSettings, reviews: Review[]): Promise<ServedGraphql> {
  return serveGraphql({ schema: createReviewsSchema(reviews) }, reviewsContext(createCallerVerifier(settings)), 0);
}

const post = <Data>(subgraph: ServedGraphql, document: TypedDocument<Data>, variables: Record<string, unknown>, token?: string) =>
  postGraphql(loopbackGraphqlUrl(subgraph.port), document, { variables, token });

describe('the example reviews subgraph', () => {
  let gatehouse: Rs256Server;
  let reviews: ServedGraphql;
  const stored: Review[] = [];
  let settings: GatehouseTokenSettings;

  beforeAll(async () => {
    gatehouse = await startRs256Server();
    settings = { jwksUrl: new URL(`${gatehouse.server.url}/.well-known/jwks.json`), issuer: 'gatehouse', audience: 'gatehouse' };
    reviews = await serveReviews(settings, stored);
  });
  afterAll(async () => {
    await reviews?.stop();
    await gatehouse?.server.close();
  });

  /** The user's genuine claims, signed with Gatehouse's own key, under a header or claims changed as given. */
  const signedByGatehouse = (header: { typ: string }, claims: Record<string, unknown> = {}) =>
    new SignJWT({ ...decodeJwtPayload(gatehouse.user.accessToken), ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: gatehouse.kid, ...header })
      .sign(createPrivateKey(gatehouse.keyPair.privateKey));

  it('posts a review by the user the verified access token names', async () => {
    const response = await post(reviews, POST_REVIEW, { body: 'Sturdy gate.' }, gatehouse.user.accessToken);

    expect(response.errors).toBeUndefined();
    expect(response.data!.postReview).toEqual({ body: 'Sturdy gate.', author: { id: gatehouse.user.userId } });
    expect(stored.at(-1)).toMatchObject({ authorId: gatehouse.user.userId, body: 'Sturdy gate.' });
  });

  it('takes no author from the caller: an authorId argument is not part of the schema', async () => {
    const response = await post(reviews, 'mutation { postReview(authorId: "someone-else", body: "x") { body } }', {}, gatehouse.user.accessToken);

    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it.each<[string, () => Promise<string | undefined>]>([
    ['no token', async () => undefined],
    ['a token signed by a key Gatehouse does not publish, under its kid', async () =>
      new SignJWT(decodeJwtPayload(gatehouse.user.accessToken))
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: gatehouse.kid })
        .sign(createPrivateKey(generateRsaKeyPair().privateKey))],
    ['a JWT of another type signed by Gatehouse (typ "JWT")', () => signedByGatehouse({ typ: 'JWT' })],
    ['an access token for another audience', () => signedByGatehouse({ typ: 'at+jwt' }, { aud: 'billing' })],
    ['an expired access token', () => signedByGatehouse({ typ: 'at+jwt' }, { exp: Math.floor(Date.now() / 1000) - 60 })],
  ])('refuses to post with %s: UNAUTHENTICATED, nothing stored', async (_case, tokenFor) => {
    const before = stored.length;
    const response = await post(reviews, POST_REVIEW, { body: 'Who am I?' }, await tokenFor());

    expect(response.status).toBeLessThan(500);
    expect(response.data?.postReview ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(stored).toHaveLength(before);
  });

  it("answers SERVICE_UNAVAILABLE, the caller's fault being ruled out, when Gatehouse's keys cannot be fetched", async () => {
    // Nothing listens on port 1: the key set cannot be fetched, whatever the token.
    const cutOff = await serveReviews({ ...settings, jwksUrl: new URL('http://127.0.0.1:1/.well-known/jwks.json') }, []);
    try {
      const response = await post(cutOff, POST_REVIEW, { body: 'x' }, gatehouse.user.accessToken);
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(response)).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await cutOff.stop();
    }
  });
});
