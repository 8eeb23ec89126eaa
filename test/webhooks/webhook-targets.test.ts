import { v7 as uuidv7 } from 'uuid';
import { SecretBox } from '../../src/two-factor/secret-box';
import { endpointSecretContext, generateWebhookSecret } from '../../src/webhooks/webhook-secret';
import { loginTo, signUp } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WebhookReceiver } from '../support/webhook-receiver';

// Server-side request forgery: with private targets refused (production's default), an account admin
// cannot register an endpoint inside the service's network, and an endpoint whose name comes to resolve
// there later (DNS rebinding, simulated by writing the row directly) is refused again at delivery.

const CREATE = `mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`;

let server: TestServer;
const receiver = new WebhookReceiver();
let port: number;

beforeAll(async () => {
  await receiver.start();
  port = receiver.port;
  server = await startTestServer({ WEBHOOK_POLL_INTERVAL_MS: '20', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
});
afterAll(async () => {
  await server?.close();
  await receiver.close();
});

test('registering an endpoint on loopback, a private network or the link-local metadata address is refused', async () => {
  const owner = await signUp(server);
  for (const url of [`http://127.0.0.1:${port}/h`, `http://localhost:${port}/h`, `http://[::1]:${port}/h`, 'http://169.254.169.254/latest', 'http://10.0.0.1/h', `http://[::ffff:127.0.0.1]:${port}/h`]) {
    const refused = await server.graphql(CREATE, { input: { accountId: owner.accountId, url } }, { token: owner.accessToken });
    expect([url, codeIn(refused), reasonIn(refused)]).toEqual([url, 'BAD_USER_INPUT', 'WEBHOOK_TARGET_REFUSED']);
  }
  expect(await server.prisma.webhookEndpoint.count({ where: { accountId: owner.accountId } })).toBe(0);
});

test('an endpoint that resolves to a private address at delivery time is not called', async () => {
  const owner = await signUp(server);
  const secretBox = new SecretBox(server.config.twoFactor.encryptionKey);
  const ids: string[] = [];
  // As if the name had resolved to a public address at registration and to loopback now.
  for (const url of [`http://localhost:${port}/rebound`, `http://127.0.0.1:${port}/literal`]) {
    const id = uuidv7();
    ids.push(id);
    await server.prisma.webhookEndpoint.create({ data: { id, accountId: owner.accountId, url, sealedSecret: secretBox.seal(generateWebhookSecret(), endpointSecretContext(id)) } });
  }
  await loginTo(server, owner, owner.accountId);
  for (let poll = 0; poll < 200; poll++) {
    const attempted = await server.prisma.webhookDelivery.count({ where: { endpointId: { in: ids }, attempts: { gte: 1 } } });
    if (attempted === ids.length) break;
    await sleep(20);
  }
  const deliveries = await server.prisma.webhookDelivery.findMany({ where: { endpointId: { in: ids } } });
  expect(deliveries.map((delivery) => [delivery.status, delivery.attempts, delivery.lastStatusCode])).toEqual([
    ['PENDING', 1, null],
    ['PENDING', 1, null],
  ]);
  expect(deliveries.map((delivery) => delivery.lastError).sort()).toEqual(['EPRIVATE', 'The endpoint is a private address.']);
  expect(receiver.received).toEqual([]);
});
