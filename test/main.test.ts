import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { SIGN_UP, strongPassword, uniqueEmail } from './support/factories';

/**
 * The README's promise, end to end: the built service starts with no configuration on the embedded
 * database, persists it under DATA_DIR, keeps its generated secret across restarts, and stops cleanly.
 */
const root = path.resolve(__dirname, '..');
const mainScript = path.join(root, 'dist', 'src', 'main.js');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
}, 120_000);

interface RunningService {
  readonly process: ChildProcess;
  readonly url: string;
  output(): string;
}

async function startService(environment: Record<string, string>): Promise<RunningService> {
  const child = spawn(process.execPath, [mainScript], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1', ...environment },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let attempt = 0; attempt < 300; attempt++) {
    const port = /"port":(\d+)/.exec(output)?.[1];
    if (port) return { process: child, url: `http://127.0.0.1:${port}`, output: () => output };
    if (child.exitCode !== null) throw new Error(`service exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not start: ${output}`);
}

async function stopService(service: RunningService): Promise<number | null> {
  service.process.kill('SIGTERM');
  const [code] = (await once(service.process, 'exit')) as [number | null];
  return code;
}

const graphql = async (url: string, query: string, variables: object = {}, token?: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
};

describe('the service process', () => {
  it('starts with no configuration, keeps data and tokens across a restart, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-main-'));
    const first = await startService({ DATA_DIR: dataDir });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const signedUp = await graphql(first.url, SIGN_UP, { input: { email: uniqueEmail(), password: strongPassword() } });
    expect(signedUp.errors).toBeUndefined();
    expect(await stopService(first)).toBe(0);

    const second = await startService({ DATA_DIR: dataDir });
    const me = await graphql(second.url, '{ me { email } }', {}, signedUp.data.signUp.accessToken);
    expect(me).toEqual({ data: { me: { email: signedUp.data.signUp.user.email } } });
    expect(await stopService(second)).toBe(0);
  }, 60_000);

  it('refuses to start in production without JWT_SECRET, naming the variable', async () => {
    const child = spawn(process.execPath, [mainScript], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gatehouse-main-')) },
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output).toContain('JWT_SECRET');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
