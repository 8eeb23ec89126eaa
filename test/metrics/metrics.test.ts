import { randomBytes } from 'node:crypto';
import { LOGOUT, ME_ID } from '../support/documents';
import { attemptLogin, loginFrom, signUp, uniqueEmail } from '../support/factories';
import { fetchMetrics, promtoolCheck, scrape, valueOf } from '../support/metrics-scrape';
import type { Sample } from '../support/metrics-scrape';
import { presentRefreshToken } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const METRICS_TOKEN = 'metrics-token-Qx7vR2pL9sK4wN8mB3cF6hJ1tY5uE0aZ';

/** The gatehouse_ series of a scrape, as `name{labels}` keys: what a hostile client must not be able to add to. */
const gatehouseSeries = (samples: readonly Sample[]): Set<string> =>
  new Set(samples.filter((sample) => sample.name.startsWith('gatehouse_')).map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`));

describe('GET /metrics behind METRICS_TOKEN', () => {
  let server: TestServer;
  const metricsNow = async () => (await scrape(server.url, METRICS_TOKEN)).samples;

  beforeAll(async () => {
    server = await startTestServer({
      METRICS_TOKEN,
      // A rotated token presented again is a reuse at once, and a second failure on one identifier locks it.
      REFRESH_REUSE_GRACE_SECONDS: '0',
      LOGIN_BACKOFF_AFTER_FAILURES: '2',
      LOGIN_LOCK_AFTER_FAILURES: '2',
    });
  });
  afterAll(() => server.close());

  it('answers 401 without the bearer token, or with a wrong one, and 200 with it', async () => {
    const missing = await fetchMetrics(server.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await missing.text()).not.toContain('gatehouse_');
    expect((await fetchMetrics(server.url, `${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await fetchMetrics(server.url, METRICS_TOKEN.slice(0, -1))).status).toBe(401);

    const granted = await fetchMetrics(server.url, METRICS_TOKEN);
    expect(granted.status).toBe(200);
    expect(granted.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(granted.headers.get('cache-control')).toBe('no-store');
  });

  it('counts logins by result and reason, hashes, refreshes, reuse, revocations, rate limits and denials where they happen', async () => {
    const user = await signUp(server);
    // The first unknown user also makes the hasher's dummy hash, once per process: not in the counts below.
    await attemptLogin(server, { email: uniqueEmail('warm-up'), password: 'Not-the-password-1' });
    const before = await metricsNow();
    const delta = async (name: string, labels: Record<string, string> = {}) => valueOf(await metricsNow(), name, labels) - valueOf(before, name, labels);

    const session = await loginFrom(server, user);
    expect((await attemptLogin(server, { email: user.email, password: `${user.password}-wrong` })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await attemptLogin(server, { email: uniqueEmail('nobody'), password: 'Not-the-password-1' });
    const locked = uniqueEmail('locked');
    for (let attempt = 0; attempt < 2; attempt += 1) await attemptLogin(server, { email: locked, password: 'Not-the-password-1' });
    const refused = await attemptLogin(server, { email: locked, password: 'Not-the-password-1' });
    expect(refused.errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');

    const refreshed = await presentRefreshToken(server, session.refreshToken);
    expect(refreshed.errors).toBeUndefined();
    const reused = await presentRefreshToken(server, session.refreshToken);
    expect(reused.errors?.[0]?.extensions?.reason).toBe('REFRESH_TOKEN_REUSED');

    const second = await loginFrom(server, user);
    expect((await server.graphql(LOGOUT, {}, { token: second.accessToken })).data?.logout).toBe(true);
    const denied = await server.graphql('query Sessions { mySessions { id } }');
    expect(denied.errors?.[0]?.extensions?.code).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);

    expect(await delta('gatehouse_logins_total', { result: 'success', reason: 'session' })).toBe(2);
    expect(await delta('gatehouse_logins_total', { result: 'failure', reason: 'wrong_password' })).toBe(1);
    expect(await delta('gatehouse_logins_total', { result: 'failure', reason: 'unknown_user' })).toBe(3);
    expect(await delta('gatehouse_logins_total', { result: 'failure', reason: 'rate_limited' })).toBe(1);
    expect(await delta('gatehouse_rate_limited_total', { limiter: 'login-account' })).toBe(1);
    // Every login that got past its limits cost one hash, the unknown users' included.
    expect(await delta('gatehouse_password_hash_seconds_count')).toBe(6);
    expect(valueOf(await metricsNow(), 'gatehouse_hash_queue_depth')).toBe(0);
    expect(await delta('gatehouse_refreshes_total', { result: 'rotated' })).toBe(1);
    expect(await delta('gatehouse_refreshes_total', { result: 'reused' })).toBe(1);
    expect(await delta('gatehouse_refresh_reuse_detected_total')).toBe(1);
    expect(await delta('gatehouse_sessions_revoked_total', { reason: 'refresh_token_reused' })).toBe(1);
    expect(await delta('gatehouse_sessions_revoked_total', { reason: 'logout' })).toBe(1);
    expect(await delta('gatehouse_authorization_denied_total', { type: 'Query', field: 'mySessions' })).toBe(1);
    expect(await delta('gatehouse_graphql_operation_seconds_count', { operation: 'mutation login' })).toBe(7);
    expect(await delta('gatehouse_graphql_operation_seconds_count', { operation: 'query mySessions' })).toBe(1);
    expect(await delta('gatehouse_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(11);
  });

  it("counts a field's refusal by its rules, not an error its resolver raised once the rules let it through", async () => {
    const owner = await signUp(server);
    const stranger = await signUp(server);
    const read = (user: typeof owner, first: number) =>
      server.graphql('query Events($accountId: ID!, $first: Int) { authEvents(accountId: $accountId, first: $first) { edges { cursor } } }', { accountId: owner.accountId, first }, { token: user.accessToken });
    const denials = async () => valueOf(await metricsNow(), 'gatehouse_authorization_denied_total', { type: 'Query', field: 'authEvents' });
    const before = await denials();

    expect((await read(owner, 0)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await denials()).toBe(before);
    expect((await read(stranger, 5)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await denials()).toBe(before + 1);
  });

  it('exports the process metrics, and no address, token or secret in any label', async () => {
    const user = await signUp(server);
    await loginFrom(server, user);
    const { text, samples } = await scrape(server.url, METRICS_TOKEN);
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    for (const secret of [user.email, user.password, user.refreshToken, user.accessToken, METRICS_TOKEN, user.userId]) expect(text).not.toContain(secret);
    expect(text).not.toContain('@');
  });

  it('labels an operation from the schema, so 200 random operationNames add no series', async () => {
    const user = await signUp(server);
    await server.graphql('query Warm { me { id } }', {}, { token: user.accessToken });
    await fetch(`${server.url}/no-such-path-${randomBytes(4).toString('hex')}`);
    const before = gatehouseSeries(await metricsNow());

    const names = Array.from({ length: 200 }, () => `Op_${randomBytes(8).toString('hex')}`);
    for (const name of names) {
      const response = await server.graphql(`query ${name} { me { id } }`, {}, { token: user.accessToken });
      expect(response.data).toEqual({ me: { id: user.userId } });
    }
    // Unknown paths are "other", whatever their name.
    await fetch(`${server.url}/no-such-path-${randomBytes(4).toString('hex')}`);

    const { text, samples } = await scrape(server.url, METRICS_TOKEN);
    expect(gatehouseSeries(samples)).toEqual(before);
    expect(valueOf(samples, 'gatehouse_graphql_operation_seconds_count', { operation: 'query me' })).toBeGreaterThanOrEqual(201);
    expect(valueOf(samples, 'gatehouse_http_requests_total', { method: 'GET', route: 'other', status: '404' })).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(text).not.toContain(name);
  });

  it('labels a document that does not validate, or names no operation in it, "invalid"', async () => {
    const before = valueOf(await metricsNow(), 'gatehouse_graphql_operation_seconds_count', { operation: 'invalid' });
    await server.post(JSON.stringify({ query: '{ noSuchField }' }));
    await server.post(JSON.stringify({ query: 'query A { me { id } }', operationName: `Chosen_${randomBytes(6).toString('hex')}` }));
    await server.post(JSON.stringify({ query: '{ me { ' }));
    expect(valueOf(await metricsNow(), 'gatehouse_graphql_operation_seconds_count', { operation: 'invalid' })).toBe(before + 3);
  });

  it('labels several root fields "multiple" rather than by their combination', async () => {
    const user = await signUp(server);
    const response = await server.graphql('{ me { id } currentSession { role } }', {}, { token: user.accessToken });
    expect(response.errors).toBeUndefined();
    const samples = await metricsNow();
    expect(valueOf(samples, 'gatehouse_graphql_operation_seconds_count', { operation: 'query multiple' })).toBe(1);
    expect(samples.some((sample) => sample.labels.operation?.includes('currentSession'))).toBe(false);
  });

  it('passes promtool check metrics, and a scrape is quick', async () => {
    const user = await signUp(server);
    await server.graphql(ME_ID, {}, { token: user.accessToken });
    const { text } = await scrape(server.url, METRICS_TOKEN);
    const checked = promtoolCheck(text);
    expect(checked.output).toBe('');
    expect(checked.status).toBe(0);

    const timings: number[] = [];
    for (let scrapeNumber = 0; scrapeNumber < 20; scrapeNumber += 1) {
      const started = performance.now();
      await scrape(server.url, METRICS_TOKEN);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    // Generous for a loaded CI machine; the figure itself is in the README ("Metrics").
    expect(timings[10]).toBeLessThan(250);
  });
});

describe('GET /metrics on METRICS_PORT', () => {
  let server: TestServer;
  let metricsUrl: string;

  beforeAll(async () => {
    // One hash at a time, each a few tens of milliseconds: logins sent together queue where a scrape sees them.
    server = await startTestServer({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', PASSWORD_HASH_CONCURRENCY: '1', ARGON2_MEMORY_KIB: '32768' });
    metricsUrl = `http://127.0.0.1:${server.app.metricsPort()}`;
  });
  afterAll(() => server.close());

  it('serves the metrics on their own port without a token, and not on the service port', async () => {
    expect(server.app.metricsPort()).not.toBe(Number(new URL(server.url).port));
    const user = await signUp(server);
    await loginFrom(server, user);
    const { samples } = await scrape(metricsUrl);
    // This app's registry alone: the other suite's logins (same process) are not here.
    expect(valueOf(samples, 'gatehouse_logins_total', { result: 'success', reason: 'session' })).toBe(1);
    expect((await fetchMetrics(server.url)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/graphql`)).status).toBe(404);
  });

  it('reports the hashes waiting for a slot in gatehouse_hash_queue_depth, and none once they are done', async () => {
    const user = await signUp(server);
    let isDone = false;
    const logins = Promise.all(Array.from({ length: 8 }, () => loginFrom(server, user))).finally(() => (isDone = true));
    let deepest = 0;
    while (!isDone) {
      deepest = Math.max(deepest, valueOf((await scrape(metricsUrl)).samples, 'gatehouse_hash_queue_depth'));
    }
    await logins;
    expect(deepest).toBeGreaterThanOrEqual(1);
    expect(valueOf((await scrape(metricsUrl)).samples, 'gatehouse_hash_queue_depth')).toBe(0);
  });
});

describe('GET /metrics in production with neither METRICS_TOKEN nor METRICS_PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production', PLAYGROUND_ENABLED: 'false' });
  });
  afterAll(() => server.close());

  it('is not served at all', async () => {
    const response = await fetchMetrics(server.url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('gatehouse_');
    expect(server.app.metricsPort()).toBeNull();
  });
});
