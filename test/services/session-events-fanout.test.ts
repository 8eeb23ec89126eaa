import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { LOGOUT } from '../support/documents';
import { loginTo, signUp } from '../support/factories';
import { subscribeToSessionEvents } from '../support/session-events-client';
import type { SessionEventsSubscription } from '../support/session-events-client';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * Two instances of one deployment on one PostgreSQL (npm run test:services): a socket on one hears of a
 * logout made on the other, through the database triggers' NOTIFY and that instance's LISTEN. Run again
 * with REDIS_URL set, as a deployment with Redis runs: the session events take the same path.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 5;

const deployments: { readonly name: string; readonly environment: Record<string, string> }[] = [
  { name: 'PostgreSQL alone', environment: {} },
  { name: 'PostgreSQL with Redis configured', environment: { REDIS_URL, REDIS_KEY_PREFIX: `gatehouse-test:${randomBytes(6).toString('hex')}:` } },
];

describe.each(deployments)('session events across two instances ($name)', ({ environment }) => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;
  const open: SessionEventsSubscription[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startTestServer(environment, { database });
    second = await startTestServer(environment, { database });
  });
  afterAll(async () => {
    await Promise.all(open.map((subscription) => subscription.dispose()));
    await Promise.all([first?.close(), second?.close()]);
    await database?.drop();
  });

  it('a logout on instance B closes the socket on instance A with 4401 within 1 s, every time', async () => {
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const user = await signUp(first);
      const elsewhere = await loginTo(second, user, user.accountId);
      const subscription = await subscribeToSessionEvents(first.url, user.accessToken);
      open.push(subscription);

      const started = performance.now();
      const loggedOut = await second.graphql(LOGOUT, { input: { allSessions: true } }, { token: elsewhere.accessToken });
      const close = await subscription.closed;

      expect(loggedOut.errors).toBeUndefined();
      expect(close.code).toBe(4401);
      expect(subscription.events.map((event) => [event.type, event.reason])).toEqual([['REVOKED', 'LOGOUT_ALL']]);
      latencies.push(close.at - started);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `cross-instance close latency (logout request sent on B → 4401 seen on A), ${ROUNDS} rounds: median ${sorted[Math.floor(ROUNDS / 2)].toFixed(1)} ms, max ${sorted[ROUNDS - 1].toFixed(1)} ms`,
    );
    expect(sorted[ROUNDS - 1]).toBeLessThan(1_000);
  });

  it('a logout made while the listening connections are down still closes the socket once they are back', async () => {
    const user = await signUp(first);
    const elsewhere = await loginTo(second, user, user.accountId);
    const subscription = await subscribeToSessionEvents(first.url, user.accessToken);
    open.push(subscription);
    if (database.config.kind !== 'postgres') throw new Error('this suite runs on PostgreSQL');
    const admin = new Client({ connectionString: database.config.url });
    await admin.connect();
    try {
      // Both instances' LISTEN connections, as a PostgreSQL restart or a network cut would end them.
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`);
      expect(killed.rowCount).toBe(2);
      // Sent in the gap: no instance listens, so the NOTIFY reaches no one; the reconnect judges every socket again.
      await second.graphql(LOGOUT, { input: { allSessions: true } }, { token: elsewhere.accessToken });
    } finally {
      await admin.end();
    }

    const close = await Promise.race([subscription.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);

    expect(close?.code).toBe(4401);
  });

  it('a socket on instance A of a session not touched by B stays open', async () => {
    const bystander = await signUp(first);
    const other = await signUp(second);
    const subscription = await subscribeToSessionEvents(first.url, bystander.accessToken);
    open.push(subscription);

    await second.graphql(LOGOUT, { input: { allSessions: true } }, { token: other.accessToken });
    const outcome = await Promise.race([subscription.closed, new Promise((resolve) => setTimeout(() => resolve(null), 500))]);

    expect(outcome).toBeNull();
    expect(subscription.events).toEqual([]);
  });
});
