import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { buildServiceIntoPrivateDirectory, startServiceProcess } from '../support/service-process';
import type { ServiceProcess } from '../support/service-process';
import { sleep } from '../support/sleep';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The outbox on PostgreSQL with several instances: two instances polling one database every 20 ms never
 * deliver one event twice (FOR UPDATE SKIP LOCKED and the lease), and an instance killed while a receiver
 * holds its request open loses nothing: once its lease runs out, another instance delivers the event.
 */
const EVENTS = 40;
const TIMEOUT_SECONDS = 3;
/** The dispatcher's lease: the attempt's timeout plus its margin (webhook-dispatcher.ts). */
const LEASE_SECONDS = TIMEOUT_SECONDS + 5;

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const servers: TestServer[] = [];
const receivers: WebhookReceiver[] = [];
const databases: TestDatabase[] = [];
let build: ReturnType<typeof buildServiceIntoPrivateDirectory> | undefined;
let killed: ServiceProcess | undefined;

afterAll(async () => {
  if (killed && killed.process.exitCode === null && killed.process.signalCode === null) killed.process.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await Promise.all(databases.map((database) => database.drop()));
  build?.remove();
});

async function newDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  if (database.config.kind !== 'postgres') throw new Error('the webhook delivery test runs on PostgreSQL: set DATABASE_URL (npm run test:services does)');
  return database;
}

async function newReceiver(options: ConstructorParameters<typeof WebhookReceiver>[0] = {}): Promise<{ receiver: WebhookReceiver; url: string }> {
  const receiver = new WebhookReceiver(options);
  receivers.push(receiver);
  const url = await receiver.start();
  receiver.secret = secret;
  return { receiver, url };
}

const instanceEnvironment = (url: string) => ({
  WEBHOOK_ENDPOINTS: JSON.stringify([{ url, secret }]),
  WEBHOOK_POLL_INTERVAL_MS: '20',
  WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
});

async function startInstance(database: TestDatabase, url: string): Promise<TestServer> {
  const server = await startTestServer(instanceEnvironment(url), { database });
  servers.push(server);
  return server;
}

/** Events written as any path writes them: the outbox trigger queues one delivery per event for the operator endpoint. */
async function writeEvents(prisma: PrismaClient, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => uuidv7());
  await prisma.authEvent.createMany({ data: ids.map((id) => ({ id, type: 'LOGIN_FAILED', reason: 'WRONG_PASSWORD' })) });
  return ids;
}

test(`two instances on one database deliver ${EVENTS} events, each exactly once`, async () => {
  const database = await newDatabase();
  // Slow answers keep deliveries in flight while the other instance polls.
  const { receiver, url } = await newReceiver({ delayMilliseconds: 30 });
  const first = await startInstance(database, url);
  await startInstance(database, url);

  const ids = await writeEvents(first.prisma, EVENTS);
  await receiver.waitFor((received) => new Set(received.map((entry) => entry.id)).size === EVENTS, 30_000);
  // The last answers are recorded just after they are sent; a second delivery would have arrived by then too.
  await sleep(500);

  expect(receiver.received).toHaveLength(EVENTS);
  expect(new Set(receiver.received.map((entry) => entry.id))).toEqual(new Set(ids));
  expect(receiver.payloads().map((payload) => payload.data.id).sort()).toEqual([...ids].sort());
  const delivered = await first.prisma.webhookDelivery.findMany({ where: { eventId: { in: ids } } });
  expect(delivered.map((delivery) => [delivery.status, delivery.attempts])).toEqual(ids.map(() => ['DELIVERED', 1]));
}, 60_000);

test('an instance killed mid-delivery leaves its lease to run out, then another instance delivers the event', async () => {
  const database = await newDatabase();
  if (database.config.kind !== 'postgres') return;
  const { receiver, url } = await newReceiver();
  build = buildServiceIntoPrivateDirectory();
  killed = await startServiceProcess(build.mainScript, {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(48).toString('base64'),
    DATABASE_URL: database.config.url,
    LOG_LEVEL: 'warn',
    ...instanceEnvironment(url),
  });
  // An in-process instance on the same database, started only after the kill, so the service process is the one to claim.
  receiver.holding = true;
  const { PrismaClient: Client } = await import('../../src/generated/prisma/client');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const prisma = new Client({ adapter: new PrismaPg({ connectionString: database.config.url }) });
  try {
    const [eventId] = await writeEvents(prisma, 1);
    await receiver.waitForHeld();
    const claimed = await prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: eventId! } });
    expect(claimed.lockedUntil).not.toBeNull();
    killed.process.kill('SIGKILL');
    const killedAt = Date.now();
    receiver.holding = false;

    const survivor = await startInstance(database, url);
    await receiver.waitFor((received) => received.some((entry) => entry.id === eventId), (LEASE_SECONDS + 10) * 1000);
    const deliveredAfterSeconds = (Date.now() - killedAt) / 1000;
    const leaseLeftSeconds = (claimed.lockedUntil!.getTime() - killedAt) / 1000;
    console.log(`webhooks: lease had ${leaseLeftSeconds.toFixed(1)} s left at the kill; another instance delivered ${deliveredAfterSeconds.toFixed(1)} s after it`);

    // Not before the dead instance's lease ran out (it might still have been sending), and then at once.
    expect(deliveredAfterSeconds).toBeGreaterThan(leaseLeftSeconds - 0.5);
    expect(receiver.received.map((entry) => [entry.id, entry.answered])).toEqual([[eventId, 204]]);
    expect(receiver.verify(receiver.received[0]!).data.id).toBe(eventId);
    let delivery = await survivor.prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: eventId! } });
    // The receiver answers before the survivor records the outcome.
    for (let poll = 0; poll < 100 && delivery.status === 'PENDING'; poll++) {
      await sleep(20);
      delivery = await survivor.prisma.webhookDelivery.findFirstOrThrow({ where: { eventId: eventId! } });
    }
    // The killed instance never recorded its attempt: the survivor's is the first that counted.
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1, lockedUntil: null });
  } finally {
    await prisma.$disconnect();
  }
}, 120_000);
