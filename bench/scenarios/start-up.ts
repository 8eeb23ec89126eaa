import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface StartUpRun {
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  readonly coldPeakRssBytes: number | null;
  readonly warmPeakRssBytes: number | null;
}

const POLL_MILLISECONDS = 10;
const GIVE_UP_MILLISECONDS = 60_000;

/**
 * The compiled service on the embedded database: first start on an empty DATA_DIR (creates the
 * database, applies every migration), then a second start on the same directory. Each is timed from
 * spawn until /readyz answers 200.
 */
export async function measureStartUp(mainScript: string): Promise<StartUpRun> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-start-'));
  try {
    const cold = await timeStart(mainScript, dataDir);
    const warm = await timeStart(mainScript, dataDir);
    return { coldSeconds: cold.seconds, warmSeconds: warm.seconds, coldPeakRssBytes: cold.peakRssBytes, warmPeakRssBytes: warm.peakRssBytes };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timeStart(mainScript: string, dataDir: string): Promise<{ seconds: number; peakRssBytes: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [mainScript], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(48).toString('base64'),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    while (!(await isReady(port))) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready`);
      if (performance.now() - started > GIVE_UP_MILLISECONDS) throw new Error('the service was not ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, POLL_MILLISECONDS));
    }
    return { seconds: (performance.now() - started) / 1000, peakRssBytes: peakRssOf(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** VmHWM: the process's peak resident set so far (Linux; null elsewhere). */
function peakRssOf(pid: number | undefined): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
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
