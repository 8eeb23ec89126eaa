import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closedPort } from './ports';
import { sleep } from './sleep';
import { temporaryDirectory } from './temporary-directories';

/** Debian's haproxy package; .ci/run installs it. */
export const HAPROXY = '/usr/sbin/haproxy';
export const EXAMPLE_CONFIG = path.resolve(__dirname, '..', '..', 'examples', 'haproxy', 'haproxy.cfg');

/** The header the test's rendering adds: which server HAProxy sent a request to (never in the example). */
export const SERVED_BY_HEADER = 'x-served-by';

export interface RenderOptions {
  readonly frontendPort: number;
  /** host:port of each instance, in the example's server order. */
  readonly servers: readonly string[];
  readonly checkIntervalMilliseconds: number;
}

/**
 * The example file with this run's addresses and check interval, and a response header naming the server.
 * Each change must find its line, so an example edited out of the test's reach fails here, not silently.
 */
export function renderHaproxyConfig(example: string, { frontendPort, servers, checkIntervalMilliseconds }: RenderOptions): string {
  let config = example;
  const replace = (pattern: RegExp, replacement: (match: string, ...groups: string[]) => string, expectedCount = 1) => {
    const count = [...config.matchAll(new RegExp(pattern.source, 'gm'))].length;
    if (count !== expectedCount) throw new Error(`${EXAMPLE_CONFIG}: expected ${expectedCount} line(s) matching ${pattern}, found ${count}`);
    config = config.replace(new RegExp(pattern.source, 'gm'), replacement);
  };
  replace(/^(\s+bind )127\.0\.0\.1:8080$/, (_match, bind) => `${bind}127.0.0.1:${frontendPort}`);
  let index = 0;
  replace(/^(\s+server gatehouse\d )127\.0\.0\.1:400\d( check)$/, (_match, head, tail) => `${head}${servers[index++]}${tail}`, servers.length);
  replace(/^(\s+default-server inter )1s( .*)$/, (_match, head, tail) => `${head}${checkIntervalMilliseconds}ms${tail}`);
  replace(/^(backend gatehouse)$/, (_match, line) => `${line}\n    http-response set-header ${SERVED_BY_HEADER} %s`);
  return config;
}

export interface ServerState {
  /** UP, DOWN, or a transition such as "UP 1/2". */
  readonly status: string;
  /** Requests HAProxy sent it (sessions). */
  readonly sessions: number;
}

export interface BackendStats {
  readonly servers: Readonly<Record<string, ServerState>>;
  /** Connection attempts retried and requests sent to another server than first chosen. */
  readonly retries: number;
  readonly redispatches: number;
  /** 5xx answers clients got, HAProxy's own (502, 503, 504) included. */
  readonly serverErrors: number;
}

export interface Balancer {
  readonly url: string;
  stats(): Promise<BackendStats>;
  /** Resolves once HAProxy has `server` at `status` (UP or DOWN); the milliseconds it took. */
  waitForServer(server: string, status: 'UP' | 'DOWN', timeoutMilliseconds: number): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

/** Runs haproxy in the foreground with the rendered example and a CSV stats page of the test's own. */
export async function startHaproxy(servers: readonly string[], checkIntervalMilliseconds: number): Promise<Balancer> {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} is missing: apt-get install haproxy (.ci/run installs it)`);
  const directory = temporaryDirectory('haproxy');
  const frontendPort = await closedPort();
  let statsPort = await closedPort();
  while (statsPort === frontendPort) statsPort = await closedPort();
  const configFile = path.join(directory, 'haproxy.cfg');
  writeFileSync(configFile, renderHaproxyConfig(readFileSync(EXAMPLE_CONFIG, 'utf8'), { frontendPort, servers, checkIntervalMilliseconds }));
  const statsFile = path.join(directory, 'stats.cfg');
  writeFileSync(statsFile, `frontend stats\n    bind 127.0.0.1:${statsPort}\n    stats enable\n    stats uri /stats\n`);

  const child = spawn(HAPROXY, ['-f', configFile, '-f', statsFile, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');

  const stats = async (): Promise<BackendStats> => parseStats(await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text());
  const balancer: Balancer = {
    url: `http://127.0.0.1:${frontendPort}`,
    stats,
    async waitForServer(server, status, timeoutMilliseconds) {
      const started = performance.now();
      while (performance.now() - started < timeoutMilliseconds) {
        if ((await stats()).servers[server]?.status === status) return performance.now() - started;
        await sleep(50);
      }
      throw new Error(`HAProxy did not see ${server} ${status} within ${timeoutMilliseconds} ms: ${JSON.stringify((await stats()).servers)}`);
    },
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
    if (await stats().then(() => true, () => false)) return balancer;
    await sleep(50);
  }
  await balancer.stop();
  throw new Error(`haproxy did not start: ${output}`);
}

/** HAProxy's CSV statistics (`show stat`), the rows of the gatehouse backend. */
function parseStats(csv: string): BackendStats {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])) as Record<string, string>);
  const backendRows = rows.filter((row) => row.pxname === 'gatehouse' && row.svname !== 'FRONTEND');
  const backend = backendRows.find((row) => row.svname === 'BACKEND');
  const frontend = rows.find((row) => row.pxname === 'gatehouse' && row.svname === 'FRONTEND');
  if (!backend || !frontend) throw new Error(`no gatehouse frontend and backend in HAProxy's statistics: ${csv}`);
  const servers = Object.fromEntries(
    backendRows.filter((row) => row.svname !== 'BACKEND').map((row) => [row.svname, { status: row.status!, sessions: Number(row.stot) }]),
  );
  return { servers, retries: Number(backend.wretr), redispatches: Number(backend.wredis), serverErrors: Number(frontend.hrsp_5xx) };
}
