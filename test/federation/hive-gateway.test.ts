import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayRuntime } from '@graphql-hive/gateway';
import { composeSupergraph } from '../../examples/gateway/supergraph';
import { createHiveGateway } from '../../examples/hive-gateway/hive-gateway';
import { createCallerVerifier } from '../../examples/reviews-subgraph/gatehouse-token';
import { createReviewsSchema, reviewsContext } from '../../examples/reviews-subgraph/reviews-subgraph';
import type { GatehouseTokenSettings } from '../../examples/shared/gatehouse-token-settings';
import { serveGraphql } from '../../examples/shared/serve-graphql';
import type { ServedGraphql } from '../../examples/shared/serve-graphql';
import { startCountingRelay } from '../support/counting-relay';
import type { CountingRelay } from '../support/counting-relay';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { loopbackGraphqlUrl, postGraphql } from '../support/graphql-client';
import type { GraphQLResponseBody } from '../support/graphql-client';
import { startRs256Server } from '../support/rs256-server';
import type { Rs256Server } from '../support/rs256-server';

/** Hive Gateway's own refusal (@envelop/generic-auth): Gatehouse never answers with this code. */
const REFUSED_BY_GATEWAY = 'UNAUTHORIZED_FIELD_OR_TYPE';

const NEW_HIRE = 'new.hire@example.test';

/** The gateway's answers, read by root field whatever the operation. */
type GatewayAnswer = GraphQLResponseBody<Record<string, unknown>>;

describe('Gatehouse publishing its authorization directives, behind Hive Gateway', () => {
  let gatehouse: Rs256Server;
  let reviews: ServedGraphql;
  // Everything the gateway sends a subgraph passes through these, so "not asked" is seen from outside the gateway.
  let toGatehouse: CountingRelay;
  let toReviews: CountingRelay;
  let runtime: GatewayRuntime;
  let gateway: http.Server;
  let owner: SignedUpUser;
  let member: SignedUpUser;
  let memberToken: string;

  beforeAll(async () => {
    gatehouse = await startRs256Server({ FEDERATION_AUTHORIZATION_DIRECTIVES: 'true' });
    owner = gatehouse.user;
    const tokens: GatehouseTokenSettings = { jwksUrl: new URL(`${gatehouse.server.url}/.well-known/jwks.json`), issuer: 'gatehouse', audience: 'gatehouse' };
    reviews = await serveGraphql({ schema: createReviewsSchema() }, reviewsContext(createCallerVerifier(tokens)), 0);
    toGatehouse = await startCountingRelay(gatehouse.server.url);
    toReviews = await startCountingRelay(`http://127.0.0.1:${reviews.port}`);

    // A member of the owner's account: signed in, but their scope is members:r alone.
    member = await signUp(gatehouse.server);
    await addMember(gatehouse.server, owner, member, 'member');
    memberToken = (await loginTo(gatehouse.server, member, owner.accountId)).accessToken;

    const supergraph = await composeSupergraph([
      { name: 'gatehouse', url: `${toGatehouse.url}/graphql` },
      { name: 'reviews', url: `${toReviews.url}/graphql` },
    ]);
    runtime = createHiveGateway(supergraph, tokens);
    gateway = http.createServer(runtime);
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    if (gateway) {
      gateway.closeAllConnections();
      await new Promise((resolve) => gateway.close(resolve));
    }
    await runtime?.dispose();
    await toGatehouse?.close();
    await toReviews?.close();
    await reviews?.stop();
    await gatehouse?.server.close();
  });

  const query = (document: string, token?: string): Promise<GatewayAnswer> =>
    postGraphql<Record<string, unknown>>(loopbackGraphqlUrl((gateway.address() as AddressInfo).port), document, { token });

  /** The requests a subgraph received while `action` ran. */
  async function receivedDuring(relay: CountingRelay, action: () => Promise<unknown>): Promise<string[]> {
    const before = relay.received.length;
    await action();
    return relay.received.slice(before);
  }

  const auditLog = () => `{ authEvents(accountId: "${owner.accountId}") { edges { cursor } } }`;
  const invitation = () => `mutation { inviteMember(input: { accountId: "${owner.accountId}", email: "${NEW_HIRE}", role: "member" }) { id } }`;

  it('refuses a field marked @authenticated to a caller without a token, before Gatehouse is asked', async () => {
    let body: GatewayAnswer = {};
    const reachedGatehouse = await receivedDuring(toGatehouse, async () => {
      body = await query(auditLog());
    });

    expect(body.data?.authEvents ?? null).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ path: ['authEvents'], extensions: expect.objectContaining({ code: REFUSED_BY_GATEWAY }) })]);
    expect(reachedGatehouse).toEqual([]);
  });

  it.each([
    ['authEvents, which needs audit:r', auditLog, 'authEvents'],
    ['inviteMember, which needs invitations:c', invitation, 'inviteMember'],
  ])("refuses %s to a member's token, before Gatehouse is asked", async (_case, document, field) => {
    let body: GatewayAnswer = {};
    const reachedGatehouse = await receivedDuring(toGatehouse, async () => {
      body = await query(document(), memberToken);
    });

    expect(body.data?.[field] ?? null).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ path: [field], extensions: expect.objectContaining({ code: REFUSED_BY_GATEWAY }) })]);
    expect(reachedGatehouse).toEqual([]);
    expect(await gatehouse.server.prisma.invitation.count({ where: { email: NEW_HIRE } })).toBe(0);
  });

  it('serves the rest of an operation and sends Gatehouse only what the token allows', async () => {
    let body: GatewayAnswer = {};
    const reachedGatehouse = await receivedDuring(toGatehouse, async () => {
      body = await query(`{ me { id } authEvents(accountId: "${owner.accountId}") { edges { cursor } } }`, memberToken);
    });

    expect(body.data).toEqual({ me: { id: member.userId }, authEvents: null });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual([REFUSED_BY_GATEWAY]);
    expect(reachedGatehouse).toHaveLength(1);
    expect(reachedGatehouse[0]).not.toContain('authEvents');
  });

  it("serves what the token's scopes allow: the owner reads the audit log", async () => {
    const body = await query(auditLog(), owner.accessToken);

    expect(body.errors).toBeUndefined();
    expect((body.data?.authEvents as { edges: unknown[] }).edges.length).toBeGreaterThan(0);
  });

  it('posts a review through the gateway as the caller the token names, and lists it under their user', async () => {
    const posted = await query(`mutation { postReview(body: "Opens on time.") { author { id } } }`, memberToken);
    expect(posted.errors).toBeUndefined();
    expect(posted.data?.postReview).toEqual({ author: { id: member.userId } });

    const mine = await query('{ me { id reviews { body } } }', memberToken);
    expect(mine.data?.me).toEqual({ id: member.userId, reviews: [{ body: 'Opens on time.' }] });
  });

  it('lets an anonymous postReview reach the reviews subgraph, which refuses it: UNAUTHENTICATED', async () => {
    let body: GatewayAnswer = {};
    const reachedReviews = await receivedDuring(toReviews, async () => {
      body = await query('mutation { postReview(body: "Anonymous praise.") { body } }');
    });

    expect(reachedReviews).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
