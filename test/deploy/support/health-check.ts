import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporaryDirectory } from '../../support/temporary-directories';

/** Docker's own health-check timeout in our files is 3 s; anything slower fails the check there too. */
const TIMEOUT_MILLISECONDS = 5_000;

/**
 * Loaded into the health-check process: records every URL it fetches, then sends the request to the
 * test's server instead. The command's own text decides host, port and path; the test sees which.
 */
const REDIRECTING_FETCH = `
const { appendFileSync } = require('node:fs');
const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
  appendFileSync(process.env.HEALTH_CHECK_RECORD, url.href + '\\n');
  const target = new URL(process.env.HEALTH_CHECK_REDIRECT);
  url.protocol = target.protocol;
  url.host = target.host;
  return originalFetch(url, init);
};
`;

export interface HealthCheckRun {
  readonly exitCode: number | null;
  /** The URLs the command asked for, as written in it (before redirection). */
  readonly requestedUrls: readonly string[];
}

/**
 * Runs a health check exactly as Docker would (`["CMD", "node", …]` or a HEALTHCHECK exec form) with
 * the container's environment, except that its requests go to `redirectTo`. Only `node` commands: the
 * images are node:*-slim, which have no curl or wget, so anything else could not run there either.
 */
export async function runHealthCheck(
  command: readonly string[],
  options: { readonly redirectTo: string; readonly environment?: Record<string, string> },
): Promise<HealthCheckRun> {
  const [executable, ...args] = command[0] === 'CMD' ? command.slice(1) : command;
  if (executable !== 'node') throw new Error(`health check is not a node command: ${JSON.stringify(command)}`);

  const directory = temporaryDirectory('health-check');
  const preload = path.join(directory, 'redirecting-fetch.js');
  const record = path.join(directory, 'requests.txt');
  writeFileSync(preload, REDIRECTING_FETCH);

  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH,
      ...options.environment,
      NODE_OPTIONS: `--require ${preload}`,
      HEALTH_CHECK_REDIRECT: options.redirectTo,
      HEALTH_CHECK_RECORD: record,
    },
    stdio: 'ignore',
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MILLISECONDS);
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  const requestedUrls = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((line) => line !== '') : [];
  return { exitCode, requestedUrls };
}
