import { buildServiceIntoPrivateDirectory, runServiceToExit, startServiceProcess } from '../support/service-process';
import { startThrowawayPostgres } from '../support/throwaway-postgres';
import type { ThrowawayPostgres } from '../support/throwaway-postgres';

/**
 * A PostgreSQL that answers but will not have us (issue 12, "The first hour"): an unknown database, an
 * unknown role, a wrong password. Each stops start-up with one line naming DATABASE_URL, never its
 * password, and the cause; no stack trace. (A refused connection needs no server: test/deploy/main.test.ts.)
 * The machine's PostgreSQL (DATABASE_URL) trusts every role, as development servers often do, so it is
 * the one that says a role does not exist; a wrong password needs a cluster of this test's own that asks
 * for one (there an unknown role is refused the same way: PostgreSQL does not tell which was wrong).
 */
const PASSWORD = 'start-up-secret';
let postgres: ThrowawayPostgres;
let service: ReturnType<typeof buildServiceIntoPrivateDirectory>;

beforeAll(async () => {
  service = buildServiceIntoPrivateDirectory();
  postgres = await startThrowawayPostgres({ password: PASSWORD });
}, 180_000);

afterAll(async () => {
  await postgres?.destroy();
  service?.remove();
});

/** The URL with one part changed. */
function changed(base: string, change: (url: URL) => void): string {
  const url = new URL(base);
  change(url);
  return url.toString();
}

const machinePostgres = () => {
  if (!process.env.DATABASE_URL) throw new Error('test/services runs with DATABASE_URL set: npm run test:services');
  return process.env.DATABASE_URL;
};

describe('starting on a PostgreSQL that will not have us', () => {
  it.each([
    ['an unknown database', () => changed(machinePostgres(), (url) => (url.pathname = '/no_such_database')), 'database "no_such_database" does not exist'],
    ['an unknown role', () => changed(machinePostgres(), (url) => (url.username = 'no_such_role')), 'role "no_such_role" does not exist'],
    ['a wrong password', () => changed(postgres.url, (url) => (url.password = 'not-the-password')), 'password authentication failed for user "postgres"'],
  ])('refuses %s, naming DATABASE_URL without its password', async (_case, databaseUrl, cause) => {
    const url = databaseUrl();
    const { code, output } = await runServiceToExit(service.mainScript, { DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toContain(`DATABASE_URL (${url.replace(/:[^:@/]+@/, ':***@')})`);
    expect(output).toContain(cause);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain('not-the-password');
    expect(output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('starts on the password cluster with the right password', async () => {
    // The control: what the last case changes, and only that, is what is refused.
    const running = await startServiceProcess(service.mainScript, { DATABASE_URL: postgres.url });
    expect(running.output()).not.toContain(PASSWORD);
    expect(await running.stop()).toBe(0);
  }, 60_000);
});
