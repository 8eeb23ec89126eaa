import { createGateway } from '../../examples/gateway/gateway';
import type { GatewayContext } from '../../examples/gateway/gateway';
import { createReviewsSchema } from '../../examples/reviews-subgraph/reviews-subgraph';
import type { Review } from '../../examples/reviews-subgraph/reviews-subgraph';
import { serveGraphql } from '../../examples/shared/serve-graphql';
import type { ServedGraphql } from '../../examples/shared/serve-graphql';
import { signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { loopbackGraphqlUrl, sendGraphql } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** The statement the users DataLoader runs: one per batch of user ids. */
const USERS_BY_ID = /FROM "public"\."User"(?: AS "\w+")? WHERE (?:"\w+"\.)+"id" IN \(([^)]*)\)/;

describe('Gatehouse as a subgraph behind Apollo Gateway', () => {
  let gatehouse: TestServer;
  let reviews: ServedGraphql;
  let gateway: ServedGraphql;
  let authors: SignedUpUser[];
  const usernames = ['ada', 'grace', 'linus'];

  beforeAll(async () => {
    // trace logs every SQL statement: the batching assertion counts them.
    gatehouse = await startTestServer({ LOG_LEVEL: 'trace' });
    authors = [];
    for (const username of usernames) authors.push(await signUp(gatehouse, { username }));
    const reviewList: Review[] = authors.flatMap((author, index) => [
      { id: `r${index}a`, authorId: author.userId, body: `First review by ${usernames[index]}` },
      { id: `r${index}b`, authorId: author.userId, body: `Second review by ${usernames[index]}` },
    ]);
    reviews = await serveGraphql({ schema: createReviewsSchema(reviewList) }, async () => ({}), 0);
    const composed = await createGateway([
      { name: 'gatehouse', url: `${gatehouse.url}/graphql` },
      { name: 'reviews', url: loopbackGraphqlUrl(reviews.port) },
    ]);
    gateway = await serveGraphql<GatewayContext>({ gateway: composed }, async ({ req }) => ({ authorization: req.get('authorization') }), 0);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await reviews?.stop();
    await gatehouse?.close();
  });

  const query = async (document: string, token?: string) => {
    const response = await sendGraphql(loopbackGraphqlUrl(gateway.port), document, { token });
    return { status: response.status, text: await response.text() };
  };

  it('answers a query that spans both subgraphs for a signed-in caller', async () => {
    const [ada] = authors;
    const response = await query(`{ me { id email reviews { body } } latestReviews { body author { id username } } }`, ada.accessToken);
    const body = JSON.parse(response.text);

    expect(body.errors).toBeUndefined();
    expect(body.data.me).toEqual({
      id: ada.userId,
      email: ada.email,
      reviews: [{ body: 'First review by ada' }, { body: 'Second review by ada' }],
    });
    expect(body.data.latestReviews).toHaveLength(6);
    expect(body.data.latestReviews[0]).toEqual({ body: 'Second review by linus', author: { id: authors[2].userId, username: 'linus' } });
  });

  it('resolves every referenced user in one database query (the gateway batches, the DataLoader batches)', async () => {
    const before = gatehouse.logs.length;
    const response = await query(`{ latestReviews { author { username createdAt } } }`, authors[0].accessToken);
    expect(JSON.parse(response.text).errors).toBeUndefined();

    const userLookups = gatehouse.logs
      .slice(before)
      .map((line) => JSON.parse(line) as { msg: string; sql?: string })
      .filter((entry) => entry.msg === 'database query' && USERS_BY_ID.test(entry.sql ?? ''));
    expect(userLookups).toHaveLength(1);
    // Six reviews by three distinct authors, one of them the caller, whose user came with the session
    // lookup: one statement asks for the other two at once.
    expect(USERS_BY_ID.exec(userLookups[0].sql!)![1].split(',')).toHaveLength(2);
  });

  it("refuses Gatehouse's protected fields to a caller without a token, through the gateway", async () => {
    const protectedUser = await query(`{ latestReviews { body author { username } } }`);
    const body = JSON.parse(protectedUser.text);

    expect(protectedUser.status).toBe(200);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toContain('UNAUTHENTICATED');
    for (const username of usernames) expect(protectedUser.text).not.toContain(`"${username}"`);

    const protectedQuery = JSON.parse((await query(`{ account(id: "${authors[0].accountId}") { name } }`)).text);
    expect(protectedQuery.data?.account ?? null).toBeNull();
    expect(protectedQuery.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("forwards the caller's token: a revoked token is refused by Gatehouse behind the gateway", async () => {
    const grace = authors[1];
    const before = JSON.parse((await query(`{ me { username } }`, grace.accessToken)).text);
    expect(before.data.me).toEqual({ username: 'grace' });

    await gatehouse.graphql(`mutation { logout }`, {}, { token: grace.accessToken });
    const after = JSON.parse((await query(`{ me { username } }`, grace.accessToken)).text);
    expect(after.data?.me ?? null).toBeNull();
    expect(after.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
