import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { Client } from 'pg';
import { LOGIN, ME, REFRESH, SIGN_UP, VERIFY_EMAIL } from '../support/documents';
import type { AuthPayload } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { postGraphql } from '../support/graphql-client';
import { startOtlpReceiver } from '../support/otlp-receiver';
import type { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { buildServiceIntoPrivateDirectory, startServiceProcess } from '../support/service-process';
import type { ServiceProcess } from '../support/service-process';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

/**
 * OpenTelemetry traces of the compiled service in a process of its own (instrumentation must load before
 * the modules it patches, which an in-process test server has long loaded), exported to an OTLP/HTTP
 * receiver this test runs on loopback. On PostgreSQL (npm run test:services): the embedded database is not
 * node-postgres, so it has no statement spans. The batch processor waits a minute between exports, so every
 * span arrives through the flush of a graceful shutdown.
 */
/** OTLP's SPAN_KIND_SERVER. */
const SERVER_SPAN = 2;
const JWT_SECRET = randomBytes(48).toString('base64');

let build: ReturnType<typeof buildServiceIntoPrivateDirectory>;
let database: TestDatabase;
let receiver: OtlpReceiver;
let service: ServiceProcess;

beforeAll(async () => {
  build = buildServiceIntoPrivateDirectory();
  database = await createTestDatabase();
  if (database.config.kind !== 'postgres') throw new Error('the tracing test runs on PostgreSQL: set DATABASE_URL (npm run test:services does)');
  receiver = await startOtlpReceiver();
  service = await startServiceProcess(build.mainScript, {
    NODE_ENV: 'production',
    JWT_SECRET,
    DATABASE_URL: database.config.url,
    LOG_LEVEL: 'info',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_SERVICE_NAME: 'gatehouse-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '60000',
  });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await receiver?.close();
  await database?.drop();
  build?.remove();
});


async function mailedVerificationToken(email: string): Promise<string> {
  const client = new Client({ connectionString: database.config.kind === 'postgres' ? database.config.url : '' });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await client.query<{ text: string }>('SELECT "text" FROM "OutboxMessage" WHERE "to" = $1', [email]);
      const token = rows.map((row) => /\/verify-email\?token=([^\s"<&]+)/.exec(row.text)?.[1]).find(Boolean);
      if (token) return decodeURIComponent(token);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no verification mail to ${email}`);
  } finally {
    await client.end();
  }
}

interface LogLine {
  readonly msg?: string;
  readonly requestId?: string;
  readonly trace_id?: string;
  readonly span_id?: string;
}

const logLines = (): LogLine[] =>
  service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('tracing a login with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  const email = uniqueEmail('traced');
  const password = strongPassword();
  const loginRequestId = `login-${randomBytes(6).toString('hex')}`;
  let emailToken: string;
  let login: AuthPayload;
  let refreshed: AuthPayload;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    const graphql = `${service.url}/graphql`;
    expect((await postGraphql(graphql, SIGN_UP, { variables: { input: { email, password } } })).errors).toBeUndefined();
    emailToken = await mailedVerificationToken(email);
    // The link as a mail client opens it, token in the query string, and the token in GraphQL variables.
    await fetch(`${service.url}/verify-email?token=${encodeURIComponent(emailToken)}`);
    expect((await postGraphql(graphql, VERIFY_EMAIL, { variables: { token: emailToken } })).errors).toBeUndefined();

    const loggedIn = await postGraphql(graphql, LOGIN, { variables: { input: { email, password } }, headers: { 'X-Request-Id': loginRequestId } });
    expect(loggedIn.headers.get('x-request-id')).toBe(loginRequestId);
    expect(loggedIn.data?.login.__typename).toBe('AuthPayload');
    login = loggedIn.data!.login as AuthPayload;
    expect((await postGraphql(graphql, ME, { token: login.accessToken })).errors).toBeUndefined();
    const refresh = await postGraphql(graphql, REFRESH, { variables: { input: { refreshToken: login.refreshToken } } });
    expect(refresh.errors).toBeUndefined();
    refreshed = refresh.data!.refreshToken;

    // A graceful shutdown exports what the batch processor still holds.
    expect(await service.stop()).toBe(0);
    spans = receiver.spans;
  }, 60_000);

  const refreshedPair = () => ({ refreshedAccessToken: refreshed.accessToken, refreshedRefreshToken: refreshed.refreshToken });

  const loginTraceId = () => {
    const line = logLines().find((candidate) => candidate.msg === 'login succeeded');
    expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    return line!.trace_id!;
  };

  it('makes the login one trace: the HTTP request, GraphQL, the password verification and each SQL statement', () => {
    const trace = spans.filter((span) => span.traceId === loginTraceId());
    const servers = trace.filter((span) => span.kind === SERVER_SPAN && span.scope === '@opentelemetry/instrumentation-http');
    expect(servers).toHaveLength(1);
    expect(servers[0]!.parentSpanId).toBe('');
    expect(servers[0]!.attributes['url.path']).toBe('/graphql');
    expect(receiver.bodies.every((body) => body.includes('{"key":"service.name","value":{"stringValue":"gatehouse-under-test"}}'))).toBe(true);
    const graphqlSpans = trace.filter((span) => span.scope === '@opentelemetry/instrumentation-graphql').map((span) => span.name);
    // The execution's span is named after the operation; one span for the operation's field (depth 1).
    expect(graphqlSpans.sort()).toEqual(['graphql.parse', 'graphql.resolve login', 'graphql.validate', 'mutation Login']);
    expect(trace.filter((span) => span.name === 'password.verify')).toHaveLength(1);
    const statements = trace.filter((span) => span.scope === '@opentelemetry/instrumentation-pg');
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(statements.every((span) => typeof span.attributes['db.query.text'] === 'string')).toBe(true);
    // One tree: every span but the root has its parent in this trace.
    const ids = new Set(trace.map((span) => span.spanId));
    expect(trace.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId))).toEqual([]);
    // The only verification of the run, and the sign-up's hash in a trace of its own.
    expect(spans.filter((span) => span.name === 'password.verify')).toHaveLength(1);
    expect(spans.filter((span) => span.name === 'password.hash' && span.traceId !== loginTraceId()).length).toBeGreaterThanOrEqual(1);
  });

  it("writes the login's log line with its request id and the trace's ids", () => {
    const line = logLines().find((candidate) => candidate.msg === 'login succeeded')!;
    expect(line.requestId).toBe(loginRequestId);
    const span = spans.find((candidate) => candidate.spanId === line.span_id);
    expect(span?.traceId).toBe(line.trace_id);
  });

  it('records no password, email-link token, access or refresh token, or signing secret, anywhere in what it exports', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    const exported = receiver.bodies.join('\n');
    const secrets = { password, emailToken, accessToken: login.accessToken, refreshToken: login.refreshToken, ...refreshedPair(), JWT_SECRET };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, found: exported.includes(secret) || exported.includes(encodeURIComponent(secret)) }).toEqual({ name, found: false });
    }
    // The link's request is traced, without its query string.
    const link = spans.find((span) => span.attributes['url.path'] === '/verify-email');
    expect(link).toBeDefined();
    expect(link!.attributes['url.query']).toBeUndefined();
    expect(Object.keys(link!.attributes).filter((key) => /header/.test(key))).toEqual([]);
  });
});

/**
 * Loads the compiled service as `node dist/src/main.js` would, and answers a message on the IPC channel
 * with the packages in require.cache (scoped names whole: "@opentelemetry/api").
 */
const LOADED_PACKAGES_PROBE = `
const packageOf = (file) => (file.includes('/node_modules/') ? /^((?:@[^/]+\\/)?[^/]+)\\//.exec(file.split('/node_modules/').pop())?.[1] : undefined);
process.on('message', () => process.send([...new Set(Object.keys(require.cache).map(packageOf).filter(Boolean))]));
require(process.argv[1]);
`;

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads no module of OpenTelemetry, after start-up and a login alike', async () => {
    const child = spawn(process.execPath, ['-e', LOADED_PACKAGES_PROBE, build.mainScript], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET, DATABASE_URL: database.config.kind === 'postgres' ? database.config.url : '', HOST: '127.0.0.1', PORT: '0', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    try {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const started = Date.now();
      let port: number | undefined;
      while (port === undefined && Date.now() - started < 60_000) {
        if (child.exitCode !== null) throw new Error(`service exited: ${output}`);
        port = output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { port?: number })
          .find((line) => line.port !== undefined)?.port;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const graphql = `http://127.0.0.1:${port}/graphql`;
      const email = uniqueEmail('untraced');
      const password = strongPassword();
      expect((await postGraphql(graphql, SIGN_UP, { variables: { input: { email, password } } })).errors).toBeUndefined();
      expect((await postGraphql(graphql, LOGIN, { variables: { input: { email, password } } })).data?.login.__typename).toBe('AuthPayload');

      child.send('which modules?');
      const [loaded] = (await once(child, 'message')) as [string[]];
      // The probe sees what a login loads, and nothing of OpenTelemetry among it.
      expect(loaded).toEqual(expect.arrayContaining(['express', 'graphql', 'pg', 'argon2']));
      expect(loaded.filter((name) => name.startsWith('@opentelemetry/'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 90_000);
});
