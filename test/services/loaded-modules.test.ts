import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LOGIN, ME, SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { buildServiceIntoPrivateDirectory, startServiceProcess } from '../support/service-process';
import type { ServiceProcess } from '../support/service-process';
import { sleep } from '../support/sleep';
import { temporaryDirectory } from '../support/temporary-directories';
import { createTestDatabase } from '../support/test-database';
import type { TestDatabase } from '../support/test-database';

/**
 * Issue 14: the embedded database and the Playground are loaded only when used. The compiled service runs
 * in a process of its own with a preload that lists every module file it has loaded (on SIGUSR2 and at exit).
 */
const PRELOAD = path.join(__dirname, '..', 'support', 'loaded-modules.preload.js');
const EMBEDDED_DATABASE = /\/node_modules\/(@electric-sql\/pglite|pglite-prisma-adapter|proper-lockfile)\//;
const POSTGRES_DRIVER = /\/node_modules\/(pg|pg-pool|pg-protocol|@prisma\/adapter-pg)\//;
const PLAYGROUND = /\/node_modules\/graphql-playground-(html|react)\//;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let build: ReturnType<typeof buildServiceIntoPrivateDirectory>;
let database: TestDatabase;
let databaseUrl: string;
let directory: string;
const services: ServiceProcess[] = [];

beforeAll(async () => {
  build = buildServiceIntoPrivateDirectory();
  database = await createTestDatabase();
  if (database.config.kind !== 'postgres') throw new Error('this test runs on PostgreSQL: set DATABASE_URL (npm run test:services does)');
  databaseUrl = database.config.url;
  directory = temporaryDirectory('loaded-modules');
}, 180_000);

afterAll(async () => {
  const codes = await Promise.all(services.map((service) => service.stop()));
  await database?.drop();
  build?.remove();
  if (directory) rmSync(directory, { recursive: true, force: true });
  expect(codes.every((code) => code === 0)).toBe(true);
}, 30_000);

async function startRecorded(name: string, environment: Record<string, string>): Promise<{ service: ServiceProcess; loadedModules(): Promise<string[]> }> {
  const file = path.join(directory, `${name}.txt`);
  const service = await startServiceProcess(
    build.mainScript,
    { LOADED_MODULES_FILE: file, LOG_LEVEL: 'warn', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1', ...environment },
    { nodeArguments: ['--require', PRELOAD] },
  );
  services.push(service);
  const loadedModules = async () => {
    rmSync(file, { force: true });
    service.process.kill('SIGUSR2');
    for (let attempt = 0; attempt < 100 && !existsSync(file); attempt++) await sleep(50);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  };
  return { service, loadedModules };
}

async function post(service: ServiceProcess, query: string, variables: object, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('what an instance loads', () => {
  it('on PostgreSQL in production, never loads the embedded database nor the Playground, through sign-up, login and a browser GET', async () => {
    const { service, loadedModules } = await startRecorded('production', {
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(48).toString('base64'),
      DATABASE_URL: databaseUrl,
    });
    const email = uniqueEmail('modules');
    const password = strongPassword();
    await post(service, SIGN_UP, { input: { email, password } });
    const login = (await post(service, LOGIN, { input: { email, password } })) as { login: { accessToken: string } };
    await post(service, ME, {}, login.login.accessToken);
    // What a browser opening the endpoint sends: the Playground is off in production, so no page.
    const page = await fetch(`${service.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    await page.arrayBuffer();

    const loaded = await loadedModules();
    // The recording works: PostgreSQL's adapter and the service's own files are in it.
    expect(loaded.some((file) => file.includes('/node_modules/@prisma/adapter-pg/'))).toBe(true);
    expect(loaded).toContain(build.mainScript);
    expect(loaded.filter((file) => EMBEDDED_DATABASE.test(file) || PLAYGROUND.test(file))).toEqual([]);
  }, 60_000);

  it('on the embedded database in development, loads PGlite at start-up, never the PostgreSQL driver, and the Playground page with its first request', async () => {
    const { service, loadedModules } = await startRecorded('development', { NODE_ENV: 'development', DATA_DIR: path.join(directory, 'data') });
    const atStart = await loadedModules();
    expect(atStart.some((file) => EMBEDDED_DATABASE.test(file))).toBe(true);
    expect(atStart.filter((file) => POSTGRES_DRIVER.test(file))).toEqual([]);
    expect(atStart.filter((file) => PLAYGROUND.test(file))).toEqual([]);

    const page = await fetch(`${service.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Gatehouse · GraphQL Playground<\/title>/);
    const afterPage = await loadedModules();
    expect(afterPage.some((file) => /\/node_modules\/graphql-playground-html\//.test(file))).toBe(true);
    expect(afterPage.filter((file) => POSTGRES_DRIVER.test(file))).toEqual([]);
  }, 60_000);
});
