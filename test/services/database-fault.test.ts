import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOGIN, LOGOUT, ME, REFRESH, SIGN_UP } from '../support/documents';
import type { AuthPayload } from '../support/documents';
import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import type { GraphQLResponseBody, TypedDocument } from '../support/graphql-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { startThrowawayPostgres } from '../support/throwaway-postgres';
import type { ThrowawayPostgres } from '../support/throwaway-postgres';

/**
 * Database fault (issue 5), on a PostgreSQL cluster of this test's own: a steady mixed load of a few
 * clients, PostgreSQL stopped for 5 seconds in the middle (`pg_ctl stop -m fast`) and started again,
 * the same Gatehouse process throughout. While it is down every request must answer quickly with
 * SERVICE_UNAVAILABLE and a 503; afterwards the service must serve again by itself, and no mutation
 * may have left a half-written trace.
 */
const CONNECT_TIMEOUT_SECONDS = 2;
const STATEMENT_TIMEOUT_SECONDS = 3;
const CLIENTS = 4;
const LOAD_BEFORE_MILLISECONDS = 2_500;
const OUTAGE_MILLISECONDS = 5_000;
const LOAD_AFTER_MILLISECONDS = 3_500;
/** Beyond the connect timeout, what a request may spend on everything else (cheap argon2, JSON, HTTP). */
const PROCESSING_MARGIN_MILLISECONDS = 1_000;
const RETRY_PAUSE_MILLISECONDS = 50;
const READINESS_POLL_MILLISECONDS = 100;
const ARTIFACT = path.join(__dirname, '..', '..', 'test-artifacts', 'database-fault.json');

type Operation = 'signUp' | 'me' | 'refresh' | 'logout' | 'login';

interface Sample {
  readonly operation: Operation;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
  readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[];
}

interface ReadinessSample {
  readonly at: number;
  readonly status: number;
  readonly durationMs: number;
}

/** When the outage began and ended, as the test saw it (Date.now()). */
interface Outage {
  stopRequestedAt: number;
  downAt: number;
  startRequestedAt: number;
  upAt: number;
}

const isUnavailable = (sample: Sample) =>
  sample.status === 503 &&
  sample.errors.length > 0 &&
  sample.errors.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE' && error.extensions?.reason === 'DATABASE_UNAVAILABLE');
const isSuccess = (sample: Sample) => sample.status === 200 && sample.errors.length === 0;
const durationOf = (sample: Sample) => sample.endedAt - sample.startedAt;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

let postgres: ThrowawayPostgres | undefined;
let server: TestServer;
let veteran: SignedUpUser;
const samples: Sample[] = [];
const readiness: ReadinessSample[] = [];
const outage: Outage = { stopRequestedAt: 0, downAt: 0, startRequestedAt: 0, upAt: 0 };
/** Every password and refresh token the clients used: none may appear in a log line. */
const secrets = new Set<string>();

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  server = await startTestServer(
    // A refresh whose commit reached the database but whose answer was lost to the outage is retried
    // after it: the grace window (meant for exactly such retries) must cover the outage.
    { REFRESH_REUSE_GRACE_SECONDS: '30' },
    {
      database: {
        config: {
          kind: 'postgres',
          url: postgres.url,
          poolSize: 10,
          connectTimeoutSeconds: CONNECT_TIMEOUT_SECONDS,
          statementTimeoutSeconds: STATEMENT_TIMEOUT_SECONDS,
        },
        // The whole cluster goes in afterAll.
        drop: async () => undefined,
      },
    },
  );
  veteran = await signUp(server, { unverified: true });
  await runFaultScenario(postgres);
  writeFigures();
}, 90_000);

afterAll(async () => {
  try {
    await server?.close();
  } finally {
    await postgres?.destroy();
  }
});

/** The load, the readiness poller and the outage, all on one timeline. */
async function runFaultScenario(cluster: ThrowawayPostgres): Promise<void> {
  let isRunning = true;
  const clients = Array.from({ length: CLIENTS }, () => runClient(() => isRunning));
  const poller = pollReadiness(() => isRunning);
  try {
    await sleep(LOAD_BEFORE_MILLISECONDS);
    outage.stopRequestedAt = Date.now();
    await cluster.stop();
    outage.downAt = Date.now();
    await sleep(OUTAGE_MILLISECONDS);
    outage.startRequestedAt = Date.now();
    await cluster.start();
    outage.upAt = Date.now();
    await sleep(LOAD_AFTER_MILLISECONDS);
  } finally {
    isRunning = false;
    await Promise.all([...clients, poller]);
  }
}

/**
 * One client's life, over and over: sign up, read `me`, refresh, log out with the access token, log in,
 * refresh, log out with the refresh token. A step answered SERVICE_UNAVAILABLE is retried as a real
 * client would (the outage must not cost it its session); any other failure starts a new identity.
 */
async function runClient(isRunning: () => boolean): Promise<void> {
  let email = '';
  let password = '';
  let accessToken = '';
  let refreshToken = '';
  const keep = (payload: { accessToken: string; refreshToken: string }) => {
    accessToken = payload.accessToken;
    refreshToken = payload.refreshToken;
    secrets.add(refreshToken);
  };
  const steps: (() => Promise<Sample>)[] = [
    async () => {
      email = uniqueEmail('fault');
      password = strongPassword();
      secrets.add(password);
      return send('signUp', SIGN_UP, { input: { email, password } }, null, (data) => keep(data.signUp));
    },
    () => send('me', ME, {}, accessToken),
    () => send('refresh', REFRESH, { input: { refreshToken } }, null, (data) => keep(data.refreshToken)),
    () => send('me', ME, {}, accessToken),
    () => send('logout', LOGOUT, {}, accessToken),
    // A user of one account: the login answers an AuthPayload.
    () => send('login', LOGIN, { input: { email, password } }, null, (data) => keep(data.login as AuthPayload)),
    () => send('refresh', REFRESH, { input: { refreshToken } }, null, (data) => keep(data.refreshToken)),
    () => send('logout', LOGOUT, { input: { refreshToken } }, null),
  ];
  let step = 0;
  while (isRunning()) {
    const sample = await steps[step]!();
    samples.push(sample);
    if (isSuccess(sample)) step = (step + 1) % steps.length;
    else if (isUnavailable(sample)) await sleep(RETRY_PAUSE_MILLISECONDS);
    else step = 0;
  }
}

async function send<Data>(
  operation: Operation,
  document: TypedDocument<Data>,
  variables: Record<string, unknown>,
  token: string | null,
  onData: (data: Data) => void = () => undefined,
): Promise<Sample> {
  const startedAt = Date.now();
  const response = await server.post(JSON.stringify({ query: document, variables }), token ? { authorization: `Bearer ${token}` } : {});
  const body = await response.text();
  const endedAt = Date.now();
  const parsed = JSON.parse(body) as GraphQLResponseBody<Data>;
  const sample = { operation, startedAt, endedAt, status: response.status, retryAfter: response.headers.get('retry-after'), body, errors: parsed.errors ?? [] };
  if (isSuccess(sample) && parsed.data) onData(parsed.data);
  return sample;
}

async function pollReadiness(isRunning: () => boolean): Promise<void> {
  while (isRunning()) {
    const at = Date.now();
    const response = await fetch(`${server.url}/readyz`);
    await response.arrayBuffer();
    readiness.push({ at, status: response.status, durationMs: Date.now() - at });
    await sleep(READINESS_POLL_MILLISECONDS);
  }
}

/** Started after the database was down, answered before it was asked to start again. */
const duringOutage = (sample: { startedAt: number; endedAt: number }) => sample.startedAt >= outage.downAt && sample.endedAt <= outage.startRequestedAt;
const afterOutage = (sample: { startedAt: number }) => sample.startedAt >= outage.upAt;

function writeFigures(): void {
  const down = samples.filter(duringOutage).map(durationOf).sort((a, b) => a - b);
  const firstSuccessAfter = samples.filter((sample) => afterOutage(sample) && isSuccess(sample)).sort((a, b) => a.endedAt - b.endedAt)[0];
  const firstReadyAfter = readiness.find((sample) => sample.at >= outage.upAt && sample.status === 200);
  mkdirSync(path.dirname(ARTIFACT), { recursive: true });
  writeFileSync(
    ARTIFACT,
    JSON.stringify(
      {
        requests: samples.length,
        requestsDuringOutage: down.length,
        outageLatencyMs: { median: down[Math.floor(down.length / 2)] ?? null, max: down.at(-1) ?? null },
        stopTookMs: outage.downAt - outage.stopRequestedAt,
        startTookMs: outage.upAt - outage.startRequestedAt,
        firstSuccessAfterStartMs: firstSuccessAfter ? firstSuccessAfter.endedAt - outage.upAt : null,
        readyAfterStartMs: firstReadyAfter ? firstReadyAfter.at + firstReadyAfter.durationMs - outage.upAt : null,
      },
      null,
      2,
    ),
  );
}

describe('when PostgreSQL goes away under load and comes back', () => {
  it('answers every request during the outage with SERVICE_UNAVAILABLE and a 503, within the connect timeout', () => {
    const down = samples.filter(duringOutage);

    // Every client kept asking throughout, so a handful of requests at least fell wholly inside it.
    expect(down.length).toBeGreaterThanOrEqual(CLIENTS * 3);
    for (const sample of down) {
      expect({ operation: sample.operation, unavailable: isUnavailable(sample), retryAfter: sample.retryAfter }).toEqual({
        operation: sample.operation,
        unavailable: true,
        retryAfter: '5',
      });
      expect(durationOf(sample)).toBeLessThan(CONNECT_TIMEOUT_SECONDS * 1000 + PROCESSING_MARGIN_MILLISECONDS);
    }
  });

  it('never answers anything but success or the documented 503: no other 5xx, no INTERNAL_SERVER_ERROR, no stack trace', () => {
    // Not even UNAUTHENTICATED: a client retrying through an outage keeps its session and its tokens.
    expect(samples.filter((sample) => !isSuccess(sample) && !isUnavailable(sample))).toEqual([]);
    for (const sample of samples) {
      expect({ status: sample.status, body: sample.body }).toEqual({ status: isUnavailable(sample) ? 503 : 200, body: sample.body });
      expect(sample.body).not.toMatch(/INTERNAL_SERVER_ERROR|stacktrace|\bat .+:\d+:\d+|prisma|ECONNREFUSED|127\.0\.0\.1/i);
    }
  });

  it('turns /readyz red while the database is down and green again after, without a restart', () => {
    const before = readiness.filter((sample) => sample.at + sample.durationMs < outage.stopRequestedAt);
    const down = readiness.filter(duringOutageReadiness);
    const after = readiness.filter((sample) => sample.at >= outage.upAt);

    expect(before.length).toBeGreaterThan(0);
    expect(before.every((sample) => sample.status === 200)).toBe(true);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((sample) => sample.status === 503)).toBe(true);
    expect(after.at(-1)?.status).toBe(200);
  });

  it('serves again by itself: every kind of request succeeds after the restart', () => {
    const succeededAfter = new Set(samples.filter((sample) => afterOutage(sample) && isSuccess(sample)).map((sample) => sample.operation));

    expect([...succeededAfter].sort()).toEqual(['login', 'logout', 'me', 'refresh', 'signUp']);
  });

  it('still refreshes a session issued before the fault', async () => {
    const refreshed = await server.graphql(REFRESH, { input: { refreshToken: veteran.refreshToken } });
    expect(refreshed.errors).toBeUndefined();

    const me = await server.graphql(ME, {}, { token: refreshed.data!.refreshToken.accessToken });
    expect(me.data).toEqual({ me: { id: veteran.userId, email: veteran.email } });
  });

  it('leaves every user with exactly their account and membership, and a sign-up event', async () => {
    const users = await server.prisma.user.findMany({ include: { ownedAccounts: true, memberships: true, sessions: true } });
    const signUpEvents = await server.prisma.authEvent.groupBy({ by: ['userId'], where: { type: 'SIGN_UP' }, _count: true });
    const signUpEventsOf = new Map(signUpEvents.map((group) => [group.userId, group._count]));

    expect(users.length).toBeGreaterThan(CLIENTS);
    for (const user of users) {
      expect({
        accounts: user.ownedAccounts.length,
        memberships: user.memberships.map((membership) => membership.accountId),
        hasSession: user.sessions.length > 0,
        signUpEvents: signUpEventsOf.get(user.id),
      }).toEqual({ accounts: 1, memberships: [user.ownedAccounts[0]?.id], hasSession: true, signUpEvents: 1 });
    }
  });

  it('leaves every session with one unbroken refresh-token chain, each rotation audited', async () => {
    const sessions = await server.prisma.session.findMany({ include: { refreshTokens: true } });
    const refreshEvents = await server.prisma.authEvent.groupBy({ by: ['sessionId'], where: { type: 'TOKEN_REFRESHED' }, _count: true });
    const refreshEventsOf = new Map(refreshEvents.map((group) => [group.sessionId, group._count]));

    for (const session of sessions) {
      const tokens = session.refreshTokens;
      const ids = new Set(tokens.map((token) => token.id));
      const live = tokens.filter((token) => token.rotatedAt === null);
      const rotated = tokens.filter((token) => token.rotatedAt !== null);
      expect({
        sessionId: session.id,
        liveTokens: live.length,
        rotatedWithSuccessorInSession: rotated.every((token) => token.replacedById !== null && ids.has(token.replacedById)),
        refreshEvents: refreshEventsOf.get(session.id) ?? 0,
      }).toEqual({ sessionId: session.id, liveTokens: 1, rotatedWithSuccessorInSession: true, refreshEvents: rotated.length });
    }
  });

  it('leaves no half-finished logout: every ended session has its event, every event its ended session', async () => {
    const sessions = await server.prisma.session.findMany();
    const logoutEvents = await server.prisma.authEvent.findMany({ where: { type: 'LOGOUT' } });
    const loggedOut = new Set(logoutEvents.map((event) => event.sessionId));

    expect(logoutEvents.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect({ sessionId: session.id, reason: session.revokedReason, hasEvent: loggedOut.has(session.id) }).toEqual({
        sessionId: session.id,
        reason: session.revokedReason,
        hasEvent: session.revokedReason === 'LOGOUT',
      });
    }
    // Nobody was logged out for reusing a token: retries through the outage never looked like theft.
    expect(sessions.filter((session) => session.revokedReason !== null && session.revokedReason !== 'LOGOUT')).toEqual([]);
  });

  it('logs the outage at warn without any credential', () => {
    const lines = server.logs.map((line) => JSON.parse(line) as { level: number; msg: string });
    const warnings = lines.filter((line) => line.msg === 'database unavailable: request answered 503');

    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((line) => line.level === 40)).toBe(true);
    const text = server.logs.join('\n');
    expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
  });
});

describe('when PostgreSQL stops answering without closing anything', () => {
  it('answers SERVICE_UNAVAILABLE within the statement timeout instead of hanging, and serves again once it answers', async () => {
    const user = await signUp(server, { unverified: true });
    // Every pooled connection is now open to a server that will not answer: only the client's timers end the wait.
    await postgres!.freeze();
    try {
      const bound = (STATEMENT_TIMEOUT_SECONDS + 1) * 1000 + PROCESSING_MARGIN_MILLISECONDS;
      const attempts = await Promise.all([
        send('me', ME, {}, user.accessToken),
        send('refresh', REFRESH, { input: { refreshToken: user.refreshToken } }, null),
        send('login', LOGIN, { input: { email: user.email, password: user.password } }, null),
      ]);
      for (const attempt of attempts) {
        expect({ operation: attempt.operation, unavailable: isUnavailable(attempt) }).toEqual({ operation: attempt.operation, unavailable: true });
        expect(durationOf(attempt)).toBeLessThan(bound);
      }
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    } finally {
      await postgres!.thaw();
    }

    const refreshed = await server.graphql(REFRESH, { input: { refreshToken: user.refreshToken } });
    expect(refreshed.errors).toBeUndefined();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 30_000);
});

function duringOutageReadiness(sample: ReadinessSample): boolean {
  return sample.at >= outage.downAt && sample.at + sample.durationMs <= outage.startRequestedAt;
}
