/**
 * `npm run bench [-- --check] [-- --rounds N] [-- --seconds S] [-- --only footprint]`: every figure is a ratio of two
 * runs measured side by side in the same round, over at least 5 interleaved rounds after a warm-up; the footprint
 * (figure 8) is one production instance's resident set, against issue 14's targets. `--only footprint` measures
 * that alone (about a minute; RSS, unlike rates, means something on a busy machine) and writes no results.json.
 * See docs/performance.md (the method and the history) and README "Performance" (the current figures).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from './harness/bench-database';
import { startServerProcess } from './harness/server-process';
import type { ServerProcess } from './harness/server-process';
import type { RoundResults } from './report/figures';
import { footprintRows, formatTable, missedFootprint, summarize, summarizeFootprint, writeResults } from './report/summary';
import { measureFootprint } from './scenarios/footprint';
import type { FootprintRun } from './scenarios/footprint';
import { measureEnumerationParity, measureLogin } from './scenarios/login';
import { measureMemberList } from './scenarios/member-list';
import { measureRefresh } from './scenarios/refresh';
import type { BenchContext } from './scenarios/scenario';
import { measureSignUpLoad } from './scenarios/sign-up';
import { measureStartUp } from './scenarios/start-up';
import type { StartUpRun } from './scenarios/start-up';
import { measureTokenPath, TOKEN_PATH_CONNECTIONS } from './scenarios/token-path';

const MIN_ROUNDS = 5;
const MEMBERS = 1000;
const LOGIN_CONNECTIONS = 8;
const WARM_UP_SECONDS = 1;
const START_UP_RUNS = 3;
const REPOSITORY = path.resolve(__dirname, '../../..');
/** Long enough for several mark-compact cycles of the old generation under the token path. */
const FOOTPRINT_LOAD_SECONDS = 30;
const SCENARIOS = ['footprint'] as const;

interface Options {
  readonly check: boolean;
  readonly rounds: number;
  readonly seconds: number;
  /** One scenario alone instead of the whole bench. */
  readonly only: (typeof SCENARIOS)[number] | null;
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    return index === -1 ? fallback : Number(argv[index + 1]);
  };
  const rounds = valueOf('--rounds', MIN_ROUNDS);
  const seconds = valueOf('--seconds', 3);
  if (!Number.isInteger(rounds) || rounds < MIN_ROUNDS) throw new Error(`--rounds must be an integer ≥ ${MIN_ROUNDS}`);
  if (!(seconds >= 1)) throw new Error('--seconds must be ≥ 1');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex === -1 ? null : SCENARIOS.find((name) => name === argv[onlyIndex + 1]);
  if (only === undefined) throw new Error(`--only takes one of: ${SCENARIOS.join(', ')}`);
  return { check: argv.includes('--check'), rounds, seconds, only };
}

/**
 * The server process's environment: production mode and production argon2 parameters (any ARGON2_* or
 * PASSWORD_HASH_* of the caller's is dropped), in-memory rate limits. The bench's own traffic all comes
 * from 127.0.0.1, so the per-IP failed-login limit is raised (unknown-email logins all fail), and so is
 * the per-IP sign-up limit (scenarios/sign-up.ts measures what sign-ups cost, not how soon they are
 * refused); every other limit stays at its default (the per-user session cap included: each login user is
 * at it after their first 50 logins, and the refresh chains belong to a user of their own).
 */
function serverEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(ARGON2_|PASSWORD_HASH_|REDIS_|LOGIN_|SIGN_UP_|DATABASE_|MAX_SESSIONS_)/.test(name)),
  );
  return {
    ...inherited,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    JWT_SECRET: randomBytes(48).toString('base64'),
    DATABASE_URL: databaseUrl,
    LOGIN_IP_MAX_FAILURES: '1000000',
    LOGIN_IP_MAX_SUCCESSES: '1000000',
    SIGN_UP_IP_MAX: '1000000',
    // The list owner gets a session per token-path connection and 50 more per refresh round, and each
    // login user one per login: at the default cap (50) minting would end the sessions the token path
    // uses. The cap's statement still runs on every login, over a few hundred live sessions per user.
    
    BENCH_SERVER_LOG: path.join(__dirname, 'server.log'),
    BENCH_MEMBERS: String(MEMBERS),
    BENCH_LOGIN_USERS: String(LOGIN_CONNECTIONS),
  };
}

async function runRound(context: BenchContext, accessTokens: readonly string[]): Promise<RoundResults> {
  const tokenPath = await measureTokenPath(context, accessTokens);
  const login = await measureLogin(context, accessTokens);
  const enumeration = await measureEnumerationParity(context);
  const refresh = await measureRefresh(context);
  const memberList = await measureMemberList(context, accessTokens, MEMBERS);
  const signUp = await measureSignUpLoad(context, accessTokens);
  return { tokenPath, login, enumeration, refresh, memberList, signUp };
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const MAIN_SCRIPT = path.join(__dirname, '../src/main.js');
const postgresServerUrl = () => process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function measureProductionFootprint(): Promise<FootprintRun> {
  log(`footprint: one production instance on PostgreSQL, idle, then ${FOOTPRINT_LOAD_SECONDS} s of the token path`);
  return measureFootprint({ repository: REPOSITORY, mainScript: MAIN_SCRIPT, serverUrl: postgresServerUrl(), loadSeconds: FOOTPRINT_LOAD_SECONDS });
}

/** `--only footprint`: figure 8 alone, printed in the table's columns. */
async function mainFootprintOnly(options: Options): Promise<void> {
  const footprint = summarizeFootprint(await measureProductionFootprint());
  console.log(['| figure | median | min–max | target | met | failures | peak RSS | median absolute figures |', '|---|---|---|---|---|---|---|---|', ...footprintRows(footprint)].join('\n'));
  for (const sample of footprint.run.failureSamples) console.log(`footprint failure: ${sample}`);
  const missed = missedFootprint(footprint);
  console.log(missed.length === 0 ? 'bench: every target met' : `bench: targets missed: ${missed.join(', ')}`);
  if (options.check && missed.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.only === 'footprint') return mainFootprintOnly(options);
  const startedAt = performance.now();
  const loadBefore = loadAverage();
  const database = await createBenchDatabase(postgresServerUrl());
  let server: ServerProcess | undefined;
  const rounds: RoundResults[] = [];
  try {
    log(`seeding a fresh database (${MEMBERS} members, ${LOGIN_CONNECTIONS} login accounts)`);
    server = await startServerProcess(serverEnvironment(database.url));
    const accessTokens = (await server.call({ command: 'mintSessions', count: TOKEN_PATH_CONNECTIONS, holder: 'listOwner' })).map((session) => session.accessToken);
    log('warm-up round');
    await runRound({ server, seconds: WARM_UP_SECONDS, round: -1 }, accessTokens);
    for (let round = 0; round < options.rounds; round++) {
      log(`round ${round + 1}/${options.rounds} (load average ${loadAverage()})`);
      rounds.push(await runRound({ server, seconds: options.seconds, round }, accessTokens));
    }
  } finally {
    await server?.stop();
    await database.drop();
  }
  const runtime = server!.runtime;

  log('start-up: compiled service, embedded database');
  const startUpRuns: StartUpRun[] = [];
  for (let run = 0; run < START_UP_RUNS; run++) startUpRuns.push(await measureStartUp(MAIN_SCRIPT));
  const footprintRun = await measureProductionFootprint();

  const summary = summarize(rounds, startUpRuns, footprintRun);
  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    argon2: { type: 'argon2id', memoryKiB: runtime.argon2.memoryCost, iterations: runtime.argon2.timeCost, parallelism: runtime.argon2.parallelism },
    passwordHashConcurrency: runtime.hashConcurrency,
    passwordHashQueueLimit: runtime.hashQueueLimit,
    uvThreadpoolSize: runtime.threadPoolSize,
    databasePoolSize: runtime.databasePoolSize,
    rounds: options.rounds,
    secondsPerRun: options.seconds,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAverage(),
    totalSeconds: Math.round((performance.now() - startedAt) / 1000),
    rateLimits:
      'in memory; LOGIN_IP_MAX_FAILURES, LOGIN_IP_MAX_SUCCESSES and SIGN_UP_IP_MAX raised to 1,000,000 (their maximum) (all bench traffic is 127.0.0.1); MAX_SESSIONS_PER_USER at its default, so a login user at the cap ends their oldest session on each login, as in production; unknown emails never repeat, so no per-user back-off applies',
  };
  const { argon2 } = environment;
  console.log(
    [
      `Node ${environment.node} · ${environment.cores} cores (${environment.cpu}) · UV_THREADPOOL_SIZE ${environment.uvThreadpoolSize}`,
      `argon2id m=${argon2.memoryKiB} KiB t=${argon2.iterations} p=${argon2.parallelism} · hash concurrency ${environment.passwordHashConcurrency} · database pool ${environment.databasePoolSize}`,
      `${options.rounds} rounds of ${options.seconds} s per run after a warm-up · load average ${environment.loadAverageBefore} before, ${environment.loadAverageAfter} after · ${environment.totalSeconds} s in all`,
      `rate limits: ${environment.rateLimits}`,
      '',
      formatTable(summary),
      '',
    ].join('\n'),
  );
  for (const figure of summary.figures) {
    if (figure.failureSamples.length > 0) console.log(`${figure.key} failures: ${figure.failureSamples.join(' | ')}`);
  }
  writeResults(path.join(REPOSITORY, 'bench/results.json'), environment, summary);
  console.log(summary.missed.length === 0 ? 'bench: every target met' : `bench: targets missed: ${summary.missed.join(', ')}`);
  if (options.check && summary.missed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
