import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loginFrom, signUp } from '../support/factories';
import { closedPort } from '../support/ports';
import { sleep } from '../support/sleep';
import { temporaryDirectory } from '../support/temporary-directories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// A real Prometheus (Debian's package, installed by .ci/run) scrapes the in-process server with the
// bearer token, and the counter is read back through its query API: the exposition, the token and the
// labels work for the program they are for, not only for our parser.

const METRICS_TOKEN = 'prometheus-scrape-token-Vb3nM8qW2eR7tY1uI6oP0aS4dF';
const PROMETHEUS = '/usr/bin/prometheus';
const WAIT_MILLISECONDS = 25_000;

interface QueryResult {
  readonly status: string;
  readonly data: { readonly result: readonly { readonly metric: Record<string, string>; readonly value: [number, string] }[] };
}

let server: TestServer;
let prometheus: ChildProcess;
let prometheusUrl: string;
const prometheusOutput: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN });
  const directory = temporaryDirectory('prometheus');
  const credentials = path.join(directory, 'token');
  writeFileSync(credentials, METRICS_TOKEN, { mode: 0o600 });
  const configFile = path.join(directory, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: gatehouse',
      '    authorization: { type: Bearer, credentials_file: ' + JSON.stringify(credentials) + ' }',
      `    static_configs: [{ targets: ['${new URL(server.url).host}'] }]`,
      '',
    ].join('\n'),
  );
  const port = await closedPort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    PROMETHEUS,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(directory, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (chunk: Buffer) => prometheusOutput.push(chunk.toString()));
  prometheus.stderr!.on('data', (chunk: Buffer) => prometheusOutput.push(chunk.toString()));
  // A missing binary fails the suite (spawn's error), it does not skip it.
  await new Promise<void>((resolve, reject) => {
    prometheus.once('spawn', resolve);
    prometheus.once('error', (error) => reject(new Error(`${PROMETHEUS} could not start (apt-get install prometheus): ${error.message}`)));
  });
}, 30_000);

afterAll(async () => {
  if (prometheus?.exitCode === null) {
    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGTERM');
    const stubborn = setTimeout(() => prometheus.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(stubborn);
  }
  await server?.close();
});

async function query(expression: string): Promise<QueryResult['data']['result']> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`).catch(() => null);
  if (!response?.ok) return [];
  return ((await response.json()) as QueryResult).data.result;
}

/** Polls `expression` until `accept` takes its first value, or fails with what Prometheus said. */
async function waitFor(expression: string, accept: (value: number) => boolean): Promise<number> {
  const deadline = Date.now() + WAIT_MILLISECONDS;
  while (Date.now() < deadline) {
    const [first] = await query(expression);
    if (first && accept(Number(first.value[1]))) return Number(first.value[1]);
    await sleep(250);
  }
  throw new Error(`Prometheus never answered ${expression} as expected. Its output:\n${prometheusOutput.join('')}`);
}

it('scrapes /metrics with the bearer token, and the login counter reads back through the query API', async () => {
  const user = await signUp(server);
  await loginFrom(server, user);
  await loginFrom(server, user);

  expect(await waitFor('up{job="gatehouse"}', (value) => value === 1)).toBe(1);
  expect(await waitFor('gatehouse_logins_total{result="success",reason="session"}', (value) => value >= 2)).toBe(2);
  // Prometheus's own measure of a scrape of this server, for the README's figure.
  expect(await waitFor('scrape_duration_seconds{job="gatehouse"}', (value) => value > 0)).toBeLessThan(0.5);
  expect(await waitFor('scrape_samples_scraped{job="gatehouse"}', (value) => value > 0)).toBeGreaterThan(50);
}, 60_000);

it('ships an example configuration (examples/prometheus/prometheus.yml) that promtool accepts', () => {
  const directory = temporaryDirectory('prometheus-example');
  const credentials = path.join(directory, 'token');
  writeFileSync(credentials, METRICS_TOKEN, { mode: 0o600 });
  const example = readFileSync(path.join(__dirname, '..', '..', 'examples', 'prometheus', 'prometheus.yml'), 'utf8');
  expect(example).toContain('credentials_file: /etc/prometheus/gatehouse-metrics-token');
  const configFile = path.join(directory, 'prometheus.yml');
  writeFileSync(configFile, example.replaceAll('/etc/prometheus/gatehouse-metrics-token', credentials));
  const checked = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8', timeout: 20_000 });
  if (checked.error) throw new Error(`promtool could not run (apt-get install prometheus): ${checked.error.message}`);
  expect(`${checked.stdout}${checked.stderr}`).toContain('SUCCESS');
  expect(checked.status).toBe(0);
});
