import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { replayEvent } from '../../src/webhooks/webhook-replay';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WebhookReceiver } from '../support/webhook-receiver';

// Audit events reach webhook endpoints through the outbox: signed by the Standard Webhooks scheme (checked
// by a receiver using the standardwebhooks package), retried on a growing schedule that follows the
// injected clock, delivered once after a success, scoped to their account, and replayable.

const CREATE = `mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url description createdAt } } }`;
const LIST = `query List($accountId: ID!) { webhookEndpoints(accountId: $accountId) { id url description } }`;
const DELETE = `mutation Delete($input: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) }`;
const REPLAY = `mutation Replay($input: ReplayWebhookEventInput!) { replayWebhookEvent(input: $input) }`;

interface Created {
  createWebhookEndpoint: { secret: string; endpoint: { id: string; url: string } };
}

const operatorSecret = `whsec_${randomBytes(32).toString('base64')}`;
const operatorReceiver = new WebhookReceiver();
let server: TestServer;

beforeAll(async () => {
  const operatorUrl = await operatorReceiver.start();
  operatorReceiver.secret = operatorSecret;
  server = await startTestServer({ WEBHOOK_POLL_INTERVAL_MS: '20', WEBHOOK_ENDPOINTS: JSON.stringify([{ url: operatorUrl, secret: operatorSecret }]) });
});
afterAll(async () => {
  await server?.close();
  await operatorReceiver.close();
});

const register = async (owner: SignedUpUser, url: string, accountId = owner.accountId) => {
  const created = await server.graphql<Created>(CREATE, { input: { accountId, url, description: 'test receiver' } }, { token: owner.accessToken });
  expect(created.errors).toBeUndefined();
  return created.data!.createWebhookEndpoint;
};

const deliveryOf = (eventId: string, endpointId: string) => server.prisma.webhookDelivery.findUniqueOrThrow({ where: { eventId_endpointId: { eventId, endpointId } } });

async function waitForAttempts(eventId: string, endpointId: string, attempts: number) {
  for (let poll = 0; poll < 500; poll++) {
    const delivery = await deliveryOf(eventId, endpointId);
    if (delivery.attempts >= attempts) return delivery;
    await sleep(20);
  }
  throw new Error(`delivery never reached ${attempts} attempts`);
}

test('a receiver failing the first attempts gets the same signed event again, later each time, and once more only after it answered 2xx', async () => {
  const receiver = new WebhookReceiver({ failFirst: 2 });
  const url = await receiver.start();
  try {
    const owner = await signUp(server);
    const { secret, endpoint } = await register(owner, url);
    receiver.secret = secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // The endpoint's own creation is the first event it receives.
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { accountId: owner.accountId, type: 'WEBHOOK_ENDPOINT_CREATED' } });

    const first = await waitForAttempts(event.id, endpoint.id, 1);
    const firstDelay = (first.nextAttemptAt.getTime() - server.clock.now().getTime()) / 1000;
    expect(first.status).toBe('PENDING');
    expect(firstDelay).toBeGreaterThan(4);
    expect(firstDelay).toBeLessThanOrEqual(6.1);

    server.clock.advance(7);
    const second = await waitForAttempts(event.id, endpoint.id, 2);
    const secondDelay = (second.nextAttemptAt.getTime() - server.clock.now().getTime()) / 1000;
    expect(secondDelay).toBeGreaterThan(28);
    expect(secondDelay).toBeLessThanOrEqual(36.1);

    server.clock.advance(40);
    const third = await waitForAttempts(event.id, endpoint.id, 3);
    expect(third).toMatchObject({ status: 'DELIVERED', lastStatusCode: 204, lockedUntil: null });

    // A day later nothing more has come: delivered means delivered once.
    server.clock.advance(2 * 24 * 60 * 60);
    await sleep(300);
    expect(receiver.received.map((entry) => [entry.id, entry.answered])).toEqual([
      [event.id, 500],
      [event.id, 500],
      [event.id, 204],
    ]);
    // Every attempt verifies with the secret shown at creation, and carries ids and kinds only.
    for (const payload of receiver.payloads()) {
      expect(payload).toMatchObject({ type: 'WEBHOOK_ENDPOINT_CREATED', data: { id: event.id, accountId: owner.accountId, userId: owner.userId, details: { endpointId: endpoint.id } } });
      expect(JSON.stringify(payload)).not.toContain(owner.email);
    }
    // …and not with another secret.
    expect(() => receiver.verify(receiver.received[0]!, `whsec_${randomBytes(32).toString('base64')}`)).toThrow();
  } finally {
    await receiver.close();
  }
});

test("an account's endpoint receives its own account's events only, the login's included; the operator's receives everyone's", async () => {
  const [receiverA, receiverB] = [new WebhookReceiver(), new WebhookReceiver()];
  const [urlA, urlB] = await Promise.all([receiverA.start(), receiverB.start()]);
  try {
    const [ownerA, ownerB] = await Promise.all([signUp(server), signUp(server)]);
    receiverA.secret = (await register(ownerA, urlA)).secret;
    receiverB.secret = (await register(ownerB, urlB)).secret;
    // A login writes its event in plain SQL (the hot path): the outbox trigger covers it too.
    await loginTo(server, ownerA, ownerA.accountId);
    await receiverA.waitFor((received) => received.length >= 2);
    await receiverB.waitFor((received) => received.length >= 1);
    await sleep(200);

    expect(receiverA.payloads().map((payload) => payload.type)).toEqual(['WEBHOOK_ENDPOINT_CREATED', 'LOGIN_SUCCEEDED']);
    expect(receiverA.payloads().every((payload) => payload.data.accountId === ownerA.accountId)).toBe(true);
    expect(receiverB.payloads().map((payload) => [payload.type, payload.data.accountId])).toEqual([['WEBHOOK_ENDPOINT_CREATED', ownerB.accountId]]);

    const loginEvent = receiverA.payloads()[1]!.data.id;
    await operatorReceiver.waitFor((received) => received.some((entry) => entry.id === loginEvent));
    const operatorSaw = new Set(operatorReceiver.payloads().map((payload) => payload.data.accountId));
    expect([ownerA.accountId, ownerB.accountId].every((accountId) => operatorSaw.has(accountId))).toBe(true);
  } finally {
    await Promise.all([receiverA.close(), receiverB.close()]);
  }
});

test("another account's admin can neither list, delete nor replay an account's endpoints and events; a member without webhooks:* is refused", async () => {
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  try {
    const [ownerA, ownerB, member] = await Promise.all([signUp(server), signUp(server), signUp(server)]);
    const { endpoint } = await register(ownerA, url);
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { accountId: ownerA.accountId, type: 'WEBHOOK_ENDPOINT_CREATED' } });
    const asB = { token: ownerB.accessToken };

    // Naming A's account: refused by the rules (B's session is in B's account).
    expect(codeIn(await server.graphql(LIST, { accountId: ownerA.accountId }, asB))).toBe('FORBIDDEN');
    expect(codeIn(await server.graphql(DELETE, { input: { accountId: ownerA.accountId, id: endpoint.id } }, asB))).toBe('FORBIDDEN');
    expect(codeIn(await server.graphql(REPLAY, { input: { accountId: ownerA.accountId, eventId: event.id } }, asB))).toBe('FORBIDDEN');
    // Naming B's own account with A's ids: as unknown as made-up ones.
    expect(codeIn(await server.graphql(DELETE, { input: { accountId: ownerB.accountId, id: endpoint.id } }, asB))).toBe('NOT_FOUND');
    expect(codeIn(await server.graphql(REPLAY, { input: { accountId: ownerB.accountId, eventId: event.id } }, asB))).toBe('NOT_FOUND');
    expect(codeIn(await server.graphql(DELETE, { input: { accountId: ownerB.accountId, id: 'not-a-uuid' } }, asB))).toBe('BAD_USER_INPUT');
    expect((await server.graphql<{ webhookEndpoints: unknown[] }>(LIST, { accountId: ownerB.accountId }, asB)).data!.webhookEndpoints).toEqual([]);
    expect(await server.prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(1);

    // A plain member of A holds no webhooks:* permission.
    await addMember(server, ownerA, member, 'member');
    const memberInA = await loginTo(server, member, ownerA.accountId);
    const asMember = { token: memberInA.accessToken };
    expect(reasonIn(await server.graphql(LIST, { accountId: ownerA.accountId }, asMember))).toBe('MISSING_PERMISSION');
    expect(codeIn(await server.graphql(CREATE, { input: { accountId: ownerA.accountId, url } }, asMember))).toBe('FORBIDDEN');
    expect(codeIn(await server.graphql(REPLAY, { input: { accountId: ownerA.accountId, eventId: event.id } }, asMember))).toBe('FORBIDDEN');

    // The owner lists it without any secret, and the stored secret is sealed, not the text shown.
    const listed = await server.graphql<{ webhookEndpoints: { id: string; url: string }[] }>(LIST, { accountId: ownerA.accountId }, { token: ownerA.accessToken });
    expect(listed.data!.webhookEndpoints).toEqual([{ id: endpoint.id, url, description: 'test receiver' }]);
    expect(codeIn(await server.graphql(`query($a: ID!) { webhookEndpoints(accountId: $a) { secret } }`, { a: ownerA.accountId }, { token: ownerA.accessToken }))).toBe('GRAPHQL_VALIDATION_FAILED');
  } finally {
    await receiver.close();
  }
});

test('replaying an event sends it again with the same webhook-id; deleting the endpoint stops its deliveries', async () => {
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  try {
    const owner = await signUp(server);
    const { secret, endpoint } = await register(owner, url);
    receiver.secret = secret;
    await receiver.waitFor((received) => received.length === 1);
    const eventId = receiver.received[0]!.id;

    const replayed = await server.graphql<{ replayWebhookEvent: number }>(REPLAY, { input: { accountId: owner.accountId, eventId } }, { token: owner.accessToken });
    expect(replayed.data).toEqual({ replayWebhookEvent: 1 });
    await receiver.waitFor((received) => received.length === 2);
    expect(receiver.received.map((entry) => entry.id)).toEqual([eventId, eventId]);
    expect(receiver.payloads()[1]!.data.id).toBe(eventId);

    // The operator's replay (npm run webhooks:replay) queues it for every endpoint that receives it: this one and the operator's.
    const operatorCopies = () => operatorReceiver.received.filter((entry) => entry.id === eventId).length;
    await operatorReceiver.waitFor(() => operatorCopies() === 1);
    expect(await replayEvent(server.prisma, eventId, server.clock.now(), null)).toBe(2);
    // The first replay's attempt may still be recording its outcome: the replay waits out its lease, never overlapping it.
    server.clock.advance(20);
    await receiver.waitFor((received) => received.length === 3);
    await operatorReceiver.waitFor(() => operatorCopies() === 2);

    const deleted = await server.graphql(DELETE, { input: { accountId: owner.accountId, id: endpoint.id } }, { token: owner.accessToken });
    expect(deleted.data).toEqual({ deleteWebhookEndpoint: true });
    await loginTo(server, owner, owner.accountId);
    await sleep(300);
    expect(receiver.received).toHaveLength(3);
    expect(await server.prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
  } finally {
    await receiver.close();
  }
});

test('an account may register a bounded number of endpoints', async () => {
  const owner = await signUp(server);
  for (let index = 0; index < 10; index++) await register(owner, `http://127.0.0.1:9/hook-${index}`);
  const refused = await server.graphql(CREATE, { input: { accountId: owner.accountId, url: 'http://127.0.0.1:9/one-more' } }, { token: owner.accessToken });
  expect(reasonIn(refused)).toBe('WEBHOOK_ENDPOINT_LIMIT_REACHED');
});

test("a retry after the user was erased carries their pseudonym, not their id", async () => {
  const receiver = new WebhookReceiver({ failFirst: 1 });
  const url = await receiver.start();
  try {
    const [owner, member] = await Promise.all([signUp(server), signUp(server)]);
    await addMember(server, owner, member, 'member');
    receiver.secret = (await register(owner, url)).secret;
    await receiver.waitFor((received) => received.length === 1);
    // The member's login into the owner's account: its first attempt fails, the retry waits 5 s on the test clock.
    const memberInAccount = await loginTo(server, member, owner.accountId);
    await receiver.waitFor((received) => received.length === 2);
    const loginEvent = receiver.received[1]!.id;
    expect(receiver.verify(receiver.received[1]!).data.userId).toBe(member.userId);
    await waitForAttempts(loginEvent, (await server.prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: loginEvent } })).endpointId, 1);

    const deleted = await server.graphql(`mutation($input: DeleteMyUserInput!) { deleteMyUser(input: $input) }`, { input: { currentPassword: member.password } }, { token: memberInAccount.accessToken });
    expect(deleted.errors).toBeUndefined();
    server.clock.advance(7);
    await receiver.waitFor((received) => received.filter((entry) => entry.id === loginEvent).length === 2);

    const retry = receiver.received.filter((entry) => entry.id === loginEvent)[1]!;
    const retried = receiver.verify(retry);
    expect(retried.data.userId).not.toBe(member.userId);
    expect(retried.data.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.body).not.toContain(member.userId);
  } finally {
    await receiver.close();
  }
});

test('a receiver that never answers 2xx is tried ten times over more than 24 hours, then the delivery is marked failed', async () => {
  const receiver = new WebhookReceiver({ failFirst: Number.MAX_SAFE_INTEGER });
  const url = await receiver.start();
  try {
    const owner = await signUp(server);
    const { endpoint } = await register(owner, url);
    const event = await server.prisma.authEvent.findFirstOrThrow({ where: { accountId: owner.accountId, type: 'WEBHOOK_ENDPOINT_CREATED' } });
    let delivery = await waitForAttempts(event.id, endpoint.id, 1);
    const firstAttemptAt = server.clock.now().getTime();
    for (let attempt = 2; attempt <= 10; attempt++) {
      server.clock.advance((delivery.nextAttemptAt.getTime() - server.clock.now().getTime()) / 1000 + 1);
      delivery = await waitForAttempts(event.id, endpoint.id, attempt);
    }
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 10, lastStatusCode: 500 });
    expect((server.clock.now().getTime() - firstAttemptAt) / 3_600_000).toBeGreaterThan(24);
    server.clock.advance(7 * 24 * 60 * 60);
    await sleep(200);
    expect(receiver.received).toHaveLength(10);
    expect(new Set(receiver.received.map((entry) => entry.id))).toEqual(new Set([event.id]));
  } finally {
    await receiver.close();
  }
});

test('a delivery that cannot be attempted (its sealed secret no longer opens) still counts an attempt, so it is not claimed again and again', async () => {
  const owner = await signUp(server);
  const endpointId = uuidv7();
  await server.prisma.webhookEndpoint.create({ data: { id: endpointId, accountId: owner.accountId, url: 'http://127.0.0.1:9/never', sealedSecret: 'v1.sealed.under.another-key' } });
  await loginTo(server, owner, owner.accountId);
  const event = await server.prisma.authEvent.findFirstOrThrow({ where: { accountId: owner.accountId, type: 'LOGIN_SUCCEEDED' } });
  const delivery = await waitForAttempts(event.id, endpointId, 1);
  expect(delivery).toMatchObject({ status: 'PENDING', lastError: 'INTERNAL', lockedUntil: null });
  expect(delivery.nextAttemptAt.getTime()).toBeGreaterThan(server.clock.now().getTime());
});
