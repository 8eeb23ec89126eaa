import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runDirectory } from './temporary-directories';

const root = path.resolve(__dirname, '..', '..');

/**
 * The V8 flags `npm start` runs the service with (the Dockerfile's CMD has the same, test/deploy/dockerfile.test.ts):
 * every test that runs the compiled service runs it as production does, so the footprint it measures is production's.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = productionNodeFlags();

function productionNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /\bnode((?: --[\w-]+=\S+)*) dist\/src\/main\.js$/.exec(scripts.start ?? '');
  if (!match) throw new Error(`package.json's start script does not end with node [flags] dist/src/main.js: ${scripts.start}`);
  return match[1]!.split(' ').filter(Boolean);
}

/**
 * The compiled service for this jest run: built once per run and shared by every test file that starts it
 * (tsc takes 20–40 s on two cores, and half a dozen files run the compiled service). It sits under the
 * project root so the service finds prisma/migrations and node_modules by walking up, as it does from
 * dist/ (never the shared dist/, which test/deploy/main.test.ts and `npm start` write). The first worker
 * to take the lock builds; the others wait for its marker. The run's global teardown removes it. Without
 * a run directory (a file run without the global setup) the build is private and `remove` deletes it.
 */
export function buildServiceIntoPrivateDirectory(): { mainScript: string; remove(): void } {
  const run = runDirectory();
  if (run === null) {
    const outDir = path.join(root, 'node_modules', '.cache', `gatehouse-service-${randomBytes(4).toString('hex')}`);
    compileServiceInto(outDir);
    return { mainScript: path.join(outDir, 'src', 'main.js'), remove: () => rmSync(outDir, { recursive: true, force: true }) };
  }
  const outDir = sharedBuildDirectory(run);
  const marker = path.join(outDir, '.built');
  const lock = `${outDir}.lock`;
  const deadline = Date.now() + BUILD_WAIT_MILLISECONDS;
  while (!existsSync(marker)) {
    if (tryTakeLock(lock)) {
      try {
        if (!existsSync(marker)) {
          compileServiceInto(outDir);
          writeFileSync(marker, '');
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`the shared service build in ${outDir} did not finish`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  return { mainScript: path.join(outDir, 'src', 'main.js'), remove: () => undefined };
}

/** Removes this run's shared build (the global teardown calls it). */
export function removeSharedServiceBuild(run: string): void {
  const outDir = sharedBuildDirectory(run);
  rmSync(outDir, { recursive: true, force: true });
  rmSync(`${outDir}.lock`, { recursive: true, force: true });
}

const BUILD_WAIT_MILLISECONDS = 5 * 60_000;

const sharedBuildDirectory = (run: string) => path.join(root, 'node_modules', '.cache', `gatehouse-service-${path.basename(run)}`);

function tryTakeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

function compileServiceInto(outDir: string): void {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root });
}

export interface ServiceProcess {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the compiled service on a free loopback port (or `port`, as a restart behind a load balancer
 * needs) with exactly `environment` (plus PATH); resolves once /healthz answers (the port is chosen
 * here, so any LOG_LEVEL works).
 */
export async function startServiceProcess(
  mainScript: string,
  environment: Record<string, string>,
  options: { port?: number; nodeArguments?: readonly string[] } = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const { child, output } = spawnService(mainScript, { HOST: '127.0.0.1', PORT: String(port), ...environment }, options.nodeArguments);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`service exited: ${output()}`);
    const isUp = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (isUp) {
      return {
        process: child,
        pid: child.pid!,
        url,
        output,
        stop: async () => {
          if (child.exitCode !== null) return child.exitCode;
          const exited = once(child, 'exit') as Promise<[number | null]>;
          child.kill('SIGTERM');
          return (await exited)[0];
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not start: ${output()}`);
}

/**
 * Spawns the compiled service with exactly `environment` (plus PATH), keeping everything it writes; with
 * npm start's V8 flags, and `nodeArguments` (e.g. a --require) after them.
 */
export function spawnService(
  mainScript: string,
  environment: Record<string, string>,
  nodeArguments: readonly string[] = [],
): { child: ChildProcess; output(): string } {
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...nodeArguments, mainScript], { cwd: root, env: { PATH: process.env.PATH, ...environment } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/**
 * Runs the compiled service with `environment` (plus PATH, a loopback HOST, any free PORT and cheap
 * argon2) until it exits by itself, as it does when it cannot start; its exit code and everything it wrote.
 */
export async function runServiceToExit(mainScript: string, environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnService(mainScript, { HOST: '127.0.0.1', PORT: '0', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1', ...environment });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output: output() };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The process's resident set size in KiB, from /proc (Linux). */
export function residentSetKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}
