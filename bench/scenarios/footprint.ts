import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createBenchDatabase } from '../harness/bench-database';
import { runLoad } from '../harness/load';
import { productionNodeFlags } from '../harness/production-command';
import { graphqlBody } from './scenario';
import { meRequest, TOKEN_PATH_CONNECTIONS } from './token-path';

/** Issue 14's targets for one production instance on PostgreSQL. */
export const IDLE_RSS_TARGET_MIB = 160;
export const LOADED_RSS_TARGET_MIB = 320;

/** Start-up settles (the first pooled connections, the migration check) before idle is read. */
const IDLE_SETTLE_MILLISECONDS = 5_000;
const RSS_SAMPLE_MILLISECONDS = 250;
const MiB = 1024 * 1024;

export interface FootprintRun {
  readonly idleRssMiB: number;
  /** The highest resident set sampled through the token-path load. */
  readonly peakLoadedRssMiB: number;
  /** The resident set when the load ended. */
  readonly endLoadedRssMiB: number;
  readonly loadSeconds: number;
  readonly served: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
}

/**
 * One production instance, exactly as `npm start` runs it (the compiled service, npm start's V8 flags,
 * NODE_ENV=production, defaults otherwise) on a fresh PostgreSQL database: not the bench's two-app
 * server, which holds two apps and the harness. Its resident set idle after start-up, then through
 * `loadSeconds` of the token path (`me` with a Bearer token on TOKEN_PATH_CONNECTIONS connections).
 */
export async function measureFootprint(options: { repository: string; mainScript: string; serverUrl: string; loadSeconds: number }): Promise<FootprintRun> {
  const database = await createBenchDatabase(options.serverUrl);
  const port = await freePort();
  const child = spawn(process.execPath, [...productionNodeFlags(options.repository), options.mainScript], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET: randomBytes(48).toString('base64'), DATABASE_URL: database.url, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilReady(port, () => child.exitCode);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MILLISECONDS));
    const idleRssMiB = residentSetBytes(child.pid!) / MiB;

    const accessTokens = await openSessions(url, TOKEN_PATH_CONNECTIONS);
    let peakBytes = residentSetBytes(child.pid!);
    const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, residentSetBytes(child.pid!))), RSS_SAMPLE_MILLISECONDS);
    const result = await runLoad(meRequest(url, accessTokens), { connections: TOKEN_PATH_CONNECTIONS, durationSeconds: options.loadSeconds }).finally(() => clearInterval(sampler));
    const endBytes = residentSetBytes(child.pid!);
    return {
      idleRssMiB,
      peakLoadedRssMiB: Math.max(peakBytes, endBytes) / MiB,
      endLoadedRssMiB: endBytes / MiB,
      loadSeconds: options.loadSeconds,
      served: result.served,
      failures: result.failures,
      failureSamples: result.failureSamples,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await database.drop();
  }
}

/** One sign-up, then a login per further session: a token per connection, as the token-path figure uses. */
async function openSessions(url: string, count: number): Promise<string[]> {
  const email = `footprint-${randomBytes(6).toString('hex')}@example.com`;
  const password = `${randomBytes(18).toString('base64')}!Footprint`;
  const signUp = await call<{ signUp: { accessToken: string } }>(url, 'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }', { input: { email, password } });
  const tokens = [signUp.signUp.accessToken];
  while (tokens.length < count) {
    const login = await call<{ login: { accessToken?: string } }>(url, 'mutation ($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken } } }', { input: { email, password } });
    if (!login.login.accessToken) throw new Error(`login gave no access token: ${JSON.stringify(login)}`);
    tokens.push(login.login.accessToken);
  }
  return tokens;
}

async function call<Data>(url: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: graphqlBody(query, variables) });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`footprint set-up: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

async function waitUntilReady(port: number, exitCode: () => number | null): Promise<void> {
  for (const deadline = performance.now() + 60_000; performance.now() < deadline; ) {
    if (exitCode() !== null) throw new Error(`the service exited with ${exitCode()} before it was ready`);
    const isReady = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      async (response) => (await response.arrayBuffer(), response.status === 200),
      () => false,
    );
    if (isReady) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the service was not ready within 60 s');
}

/** VmRSS: the resident set now (Linux). */
function residentSetBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
