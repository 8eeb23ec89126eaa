import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { LOGIN, SIGN_UP } from '../support/documents';
import type { LoginResult } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { postGraphql, typedDocument } from '../support/graphql-client';
import type { GraphQLResponseBody } from '../support/graphql-client';
import { closedPort } from '../support/ports';
import { runServiceToExit, spawnService } from '../support/service-process';
import { temporaryDirectory } from '../support/temporary-directories';
import { decodeJwtPayload } from '../support/tokens';

/**
 * The README's promise, end to end: the built service starts with no configuration on the embedded
 * database, persists it under DATA_DIR, keeps its generated secret across restarts, and stops cleanly.
 */
const root = path.resolve(__dirname, '..', '..');
const mainScript = path.join(root, 'dist', 'src', 'main.js');

// What `npm run build` makes: dist/, then the cluster template a first start copies (src/database/cluster-template.ts).
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'commands', 'create-cluster-template.js')], { cwd: root, stdio: 'ignore' });
}, 120_000);

interface RunningService {
  readonly process: ChildProcess;
  readonly url: string;
  output(): string;
}

async function startService(environment: Record<string, string>): Promise<RunningService> {
  const { child, output } = spawnService(mainScript, { HOST: '127.0.0.1', PORT: '0', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1', ...environment });
  for (let attempt = 0; attempt < 300; attempt++) {
    const port = /"port":(\d+)/.exec(output())?.[1];
    if (port) return { process: child, url: `http://127.0.0.1:${port}`, output };
    if (child.exitCode !== null) throw new Error(`service exited: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not start: ${output()}`);
}

async function stopService(service: RunningService): Promise<number | null> {
  service.process.kill('SIGTERM');
  const [code] = (await once(service.process, 'exit')) as [number | null];
  return code;
}

const ME_EMAIL = typedDocument<{ me: { email: string } | null }>('{ me { email } }');

describe('the service process', () => {
  it('starts with no configuration, keeps data and tokens across a restart, and exits 0 on SIGTERM', async () => {
    const dataDir = temporaryDirectory('main');
    const first = await startService({ DATA_DIR: dataDir });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const signedUp = await postGraphql(`${first.url}/graphql`, SIGN_UP, { variables: { input: { email: uniqueEmail(), password: strongPassword() } } });
    expect(signedUp.errors).toBeUndefined();
    expect(await stopService(first)).toBe(0);

    const second = await startService({ DATA_DIR: dataDir });
    const { data, errors } = await postGraphql(`${second.url}/graphql`, ME_EMAIL, { variables: {}, token: signedUp.data!.signUp.accessToken });
    expect({ data, errors }).toEqual({ data: { me: { email: signedUp.data!.signUp.user.email } } });
    expect(await stopService(second)).toBe(0);
  }, 60_000);

  it('hashes passwords on threads below the event loop: libuv pool threads at PASSWORD_HASH_THREAD_NICENESS, the event loop at 0', async () => {
    // Production argon2 parameters: each hash costs tens of milliseconds, which /proc's 10 ms ticks can see.
    const service = await startService({ DATA_DIR: temporaryDirectory('nice'), ARGON2_MEMORY_KIB: '19456', ARGON2_ITERATIONS: '2' });
    try {
      const pid = service.process.pid!;
      const lowered = () => threadsOf(pid).filter((thread) => thread.nice === 10);
      expect(threadsOf(pid).find((thread) => thread.id === pid)?.nice).toBe(0);
      // Before the first sign-up starts the password strength worker (nice 10 too): the pool's threads alone.
      expect(lowered()).toHaveLength(Number(process.env.UV_THREADPOOL_SIZE ?? 4));
      const input = { email: uniqueEmail(), password: strongPassword() };
      expect((await postGraphql(`${service.url}/graphql`, SIGN_UP, { variables: { input } })).errors).toBeUndefined();
      const cpuBefore = lowered().reduce((sum, thread) => sum + thread.cpuTicks, 0);
      for (let attempt = 0; attempt < 4; attempt++) {
        const { errors } = await postGraphql(`${service.url}/graphql`, LOGIN, { variables: { input } });
        expect(errors).toBeUndefined();
      }
      // The logins' hashes ran on the lowered threads: their CPU time grew by at least one tick.
      expect(lowered().reduce((sum, thread) => sum + thread.cpuTicks, 0)).toBeGreaterThan(cpuBefore);
    } finally {
      await stopService(service);
    }
    const untouched = await startService({ DATA_DIR: temporaryDirectory('nice-off'), PASSWORD_HASH_THREAD_NICENESS: '0' });
    try {
      expect(threadsOf(untouched.process.pid!).filter((thread) => thread.nice !== 0)).toEqual([]);
    } finally {
      await stopService(untouched);
    }
  }, 60_000);

  it('on SIGTERM under load: finishes in-flight requests, refuses new connections, exits 0 within 10 s', async () => {
    // Real argon2 cost (the OWASP defaults) and one hash at a time: eight logins queue for a second or so,
    // so they are still in flight when the signal arrives.
    const service = await startService({
      DATA_DIR: temporaryDirectory('main'),
      ARGON2_MEMORY_KIB: '19456',
      ARGON2_ITERATIONS: '2',
      PASSWORD_HASH_CONCURRENCY: '1',
      LOG_LEVEL: 'trace',
    });
    const email = uniqueEmail('draining');
    const password = strongPassword();
    const signedUp = await postGraphql(`${service.url}/graphql`, SIGN_UP, { variables: { input: { email, password } } });
    expect(signedUp.errors).toBeUndefined();
    const userId = signedUp.data!.signUp.user.id;

    // Signal only once the service is working on every login: each has been read, parsed and has looked
    // its user up (LOG_LEVEL=trace logs each statement). A request the service has not read yet is not
    // in flight: stopping closes such a connection unanswered, as any HTTP server does.
    const logStart = service.output().length;
    const logins = Array.from({ length: 8 }, () => postOnNewConnection(service.url, JSON.stringify({ query: LOGIN, variables: { input: { email, password } } })));
    let settledLogins = 0;
    for (const login of logins) void login.then(() => settledLogins++, () => undefined);
    await waitFor(() => (service.output().slice(logStart).match(USER_BY_EMAIL) ?? []).length >= logins.length, 10_000);
    const signalledAt = Date.now();
    service.process.kill('SIGTERM');
    const exited = once(service.process, 'exit') as Promise<[number | null]>;

    // New connections (no pooled keep-alive socket) until one is refused: the listener is closed. One that
    // the kernel accepted just before the close is ended unanswered (ECONNRESET); none may be served.
    const probes: string[] = [];
    let loginsSettledAtRefusal = -1;
    while (!probes.includes('ECONNREFUSED') && Date.now() - signalledAt < 5_000) {
      probes.push(await openNewConnection(service.url));
      if (probes.at(-1) === 'ECONNREFUSED') loginsSettledAtRefusal = settledLogins;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const answers = await Promise.all(logins);
    const [code] = await exited;
    const shutdownMilliseconds = Date.now() - signalledAt;
    console.log(
      `graceful shutdown: ${answers.length} in-flight logins answered, ${loginsSettledAtRefusal} of them before new connections were refused ` +
        `(probes: ${probes.join(', ')}); exit ${code} after ${shutdownMilliseconds} ms`,
    );

    expect(probes.at(-1)).toBe('ECONNREFUSED');
    // The first probe may have been accepted before the process handled the signal; later ones never are.
    expect(probes.slice(1).filter((probe) => probe !== 'ECONNREFUSED' && probe !== 'ECONNRESET')).toEqual([]);
    // The listener closed while logins were still being served: draining, not finishing-then-closing.
    expect(loginsSettledAtRefusal).toBeLessThan(answers.length);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.login).toMatchObject({ __typename: 'AuthPayload', user: { id: userId, email } });
      expect(decodeJwtPayload(answer.body.data!.login.accessToken!)).toMatchObject({ sub: userId });
    }
    expect(code).toBe(0);
    expect(shutdownMilliseconds).toBeLessThan(10_000);
    expect(service.output()).toContain('shutting down');
  }, 60_000);

  it('refuses to start in production without JWT_SECRET, naming the variable', async () => {
    const child = spawn(process.execPath, [mainScript], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: temporaryDirectory('main') },
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output).toContain('JWT_SECRET');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('has every log line on stdout before the next statement runs: a process killed right after logging loses none', async () => {
    // The audit lines of a crash's last moments are the ones worth having. pino's default destination
    // would still hold all but the first in memory, waiting on a thread-pool write, when the kill lands.
    const lines = 200;
    const script = `
      const { createLogger } = require(${JSON.stringify(path.join(root, 'dist', 'src', 'logger.js'))});
      const logger = createLogger({ logLevel: 'info' });
      for (let line = 0; line < ${lines}; line++) logger.info({ line }, 'audit');
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawn(process.execPath, ['-e', script], { cwd: root, env: { PATH: process.env.PATH } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    const logged = output.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { line: number }).line);
    expect(logged).toEqual(Array.from({ length: lines }, (_, line) => line));
  });
});

describe('starting the service', () => {
  it('says how many migrations it applies, and ends with the GraphQL and Playground URLs on HOST', async () => {
    const migrations = readdirSync(path.join(root, 'prisma', 'migrations'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const service = await startService({ DATA_DIR: temporaryDirectory('main') });
    const { port } = new URL(service.url);
    expect(service.output()).toContain(`applying ${migrations.length} database migrations`);
    expect(service.output()).toContain(`listening on http://127.0.0.1:${port}/graphql`);
    expect(service.output()).toContain(`Playground: open http://127.0.0.1:${port}/graphql in a browser`);
    expect(await stopService(service)).toBe(0);

    // On every address (the default HOST), the URL to open on this machine is localhost's.
    const everywhere = await startService({ DATA_DIR: temporaryDirectory('main'), HOST: '0.0.0.0' });
    expect(everywhere.output()).toContain(`listening on http://localhost:${new URL(everywhere.url).port}/graphql`);
    expect(await stopService(everywhere)).toBe(0);
  }, 60_000);

  it('refuses a port in use before it opens the database, naming HOST and PORT, without a stack trace', async () => {
    const occupant = net.createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const { port } = occupant.address() as net.AddressInfo;
    const dataDir = temporaryDirectory('main');
    try {
      const { code, output } = await runServiceToExit(mainScript, { DATA_DIR: dataDir, PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`HOST=127.0.0.1, PORT=${port}`);
      expect(output).toContain('in use');
      expect(output).not.toMatch(STACK_TRACE);
      // Checked before migrating: the embedded database was never created.
      expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    } finally {
      occupant.close();
    }
  }, 30_000);

  it('refuses an embedded database another service holds, naming DATA_DIR and its pid, without waiting out the lock', async () => {
    const dataDir = temporaryDirectory('main');
    const holder = await startService({ DATA_DIR: dataDir });
    try {
      const startedAt = Date.now();
      const { code, output } = await runServiceToExit(mainScript, { DATA_DIR: dataDir });
      const milliseconds = Date.now() - startedAt;
      console.log(`a second service on a held DATA_DIR exited ${code} after ${milliseconds} ms`);
      expect(code).toBe(1);
      expect(output).toContain(`${dataDir}${path.sep}pglite is in use by another Gatehouse process (pid ${holder.process.pid})`);
      expect(output).toContain('DATA_DIR');
      expect(output).not.toMatch(STACK_TRACE);
      // The lock goes stale only after 10 s: refusing a running holder must not wait for that (the bound, generously).
      expect(milliseconds).toBeLessThan(12_000);
    } finally {
      expect(await stopService(holder)).toBe(0);
    }
  }, 60_000);

  it('refuses a PostgreSQL that refuses connections, naming DATABASE_URL without its password and without a stack trace', async () => {
    const port = await closedPort();
    const { code, output } = await runServiceToExit(mainScript, { DATABASE_URL: `postgresql://gatehouse:not-for-logs@127.0.0.1:${port}/gatehouse` });
    expect(code).toBe(1);
    expect(output).toContain(`DATABASE_URL (postgresql://gatehouse:***@127.0.0.1:${port}/gatehouse)`);
    expect(output).toContain('connection refused');
    expect(output).not.toContain('not-for-logs');
    expect(output).not.toMatch(STACK_TRACE);
  }, 30_000);
});

const STACK_TRACE = /\n\s+at /;

/** A process's threads as /proc shows them (Linux): id, nice value, and CPU time used (user + system, in clock ticks). */
function threadsOf(pid: number): { id: number; nice: number; cpuTicks: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((task) => {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: state is the 3rd field of stat(5).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { id: Number(task), nice: Number(fields[19 - 3]), cpuTicks: Number(fields[14 - 3]) + Number(fields[15 - 3]) };
  });
}

type PostAnswer = { status: number; body: GraphQLResponseBody<{ login: LoginResult }> };

/** POST /graphql on a connection of its own: no pooled keep-alive socket shared with other requests. */
function postOnNewConnection(url: string, body: string): Promise<PostAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The login's read of its user (src/auth/user-with-memberships.sql.ts), as the trace log writes it. */
const USER_BY_EMAIL = /WHERE u\.\\"email\\" = \$1/g;

async function waitFor(condition: () => boolean, timeoutMilliseconds: number): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the service');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Opens a fresh TCP connection (no agent, so no pooled socket) and asks for /healthz. */
function openNewConnection(url: string): Promise<'connected' | string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
      response.resume();
      resolve('connected');
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.setTimeout(2_000, () => request.destroy(new Error('timed out')));
  });
}
