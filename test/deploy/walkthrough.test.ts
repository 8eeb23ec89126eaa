import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { buildServiceIntoPrivateDirectory, startServiceProcess } from '../support/service-process';
import type { ServiceProcess } from '../support/service-process';
import { temporaryDirectory } from '../support/temporary-directories';

/**
 * The README's walkthrough, run as a reader runs it: scripts/walkthrough.sh with bash, curl and jq
 * against the compiled service, started as `npm start` starts it (development, so mail stays in the
 * outbox that /dev/outbox lists) on a fresh embedded database. When the API or the outbox changes shape,
 * this fails before a newcomer's first hour does.
 */
const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'walkthrough.sh');

let build: ReturnType<typeof buildServiceIntoPrivateDirectory>;
let service: ServiceProcess;

beforeAll(async () => {
  build = buildServiceIntoPrivateDirectory();
  service = await startServiceProcess(build.mainScript, {
    NODE_ENV: 'development',
    DATA_DIR: temporaryDirectory('walkthrough'),
    // Cheap hashing: the script's two sign-ups and a login, not argon2, are what is tested here.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
  });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  build?.remove();
});

/** Runs the script with only PATH and BASE_URL, as a fresh shell would; everything it wrote, and its exit code. */
async function runWalkthrough(baseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', [script], { cwd: root, env: { PATH: process.env.PATH, BASE_URL: baseUrl } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** What a step printed: the lines after its heading, up to the blank line before whatever comes next. */
function printedBy(stdout: string, step: number): string {
  const heading = stdout.indexOf(`\n== ${step}. `);
  if (heading === -1) throw new Error(`step ${step} did not run:\n${stdout}`);
  const start = stdout.indexOf('\n', heading + 1) + 1;
  const end = stdout.indexOf('\n\n', start);
  return stdout.slice(start, end === -1 ? undefined : end);
}

describe('scripts/walkthrough.sh', () => {
  it('signs up, verifies from the outbox, chooses between two accounts, refreshes and logs out, against the real service', async () => {
    const { code, stdout, stderr } = await runWalkthrough(service.url);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const you = /^== 1\. Sign up as (\S+):/m.exec(stdout)?.[1];
    expect(you).toMatch(/@example\.com$/);
    // Two accounts by then, so login asked for a choice, and the choice was the team's account.
    expect(printedBy(stdout, 6)).toContain('"account": "Team"');
    const { me, currentSession } = JSON.parse(printedBy(stdout, 7)) as {
      me: { email: string; memberships: { role: string; account: { name: string } }[] };
      currentSession: { role: string; account: { name: string } };
    };
    expect(me.email).toBe(you);
    expect(me.memberships.map((membership) => `${membership.account.name}: ${membership.role}`).sort()).toEqual(['Team: member', 'Your own: owner']);
    expect(currentSession).toMatchObject({ role: 'member', account: { name: 'Team' } });

    // The refresh token of the logged-out session is refused, and so is its access token.
    expect(printedBy(stdout, 11).split('\n')).toEqual([
      '{"refreshToken":{"code":"UNAUTHENTICATED","reason":"SESSION_REVOKED"}}',
      '{"me":{"code":"UNAUTHENTICATED","reason":"SESSION_REVOKED"}}',
    ]);
  }, 60_000);
});
