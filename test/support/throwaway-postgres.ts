import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, in a fresh temporary directory on a free port, that the test
 * may stop and start at will: the machine's shared PostgreSQL is never touched. initdb and pg_ctl
 * refuse to run as root, so as root (CI) they run as the `postgres` user on a directory it owns.
 */
export interface ThrowawayPostgres {
  /** postgresql:// URL of the cluster's `postgres` database, over TCP. */
  readonly url: string;
  /** `pg_ctl stop -m fast`: clients are disconnected, new connections refused; resolves once it is down. */
  stop(): Promise<void>;
  /** `pg_ctl start`; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGSTOP to the server and its backends: connections stay open but nothing answers, as with a hung host. */
  freeze(): Promise<void>;
  /** SIGCONT: the frozen server carries on where it was. */
  thaw(): Promise<void>;
  /** Stops it however it can (pg_ctl, else SIGKILL by pid file) and deletes its files. Never throws. */
  destroy(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** The `postgres` role's password, and every connection must give one (scram-sha-256); unset: trust. */
  readonly password?: string;
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const binDir = findPostgresBinDir();
  const directory = mkdtempSync(path.join(tmpdir(), 'gatehouse-pg-'));
  const dataDir = path.join(directory, 'data');
  const logFile = path.join(directory, 'postgres.log');
  const runAsPostgres = process.getuid?.() === 0;
  if (runAsPostgres) chownSync(directory, postgresUid(), postgresGid());
  const port = await findFreePort();

  const command = (program: string, args: string[]) => {
    const executable = path.join(binDir, program);
    // cwd: the postgres user may not be allowed into the test's working directory.
    const options = { cwd: directory, timeout: 60_000 };
    return runAsPostgres ? run('runuser', ['-u', 'postgres', '--', executable, ...args], options) : run(executable, args, options);
  };
  const serverOptions = [
    `-p ${port}`,
    `-k ${directory}`,
    '-c listen_addresses=127.0.0.1',
    // A throwaway cluster: durability is not the point, speed is.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = async () => {
    await command('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', serverOptions, 'start']);
  };
  const stop = async () => {
    await command('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  };
  const signalServer = async (signal: 'STOP' | 'CONT') => {
    const postmaster = readPostmasterPid(dataDir);
    if (postmaster === null) return;
    const children = await run('pgrep', ['-P', String(postmaster)]).then(
      ({ stdout }) => stdout.split('\n').filter(Boolean).map(Number),
      () => [],
    );
    for (const pid of [postmaster, ...children]) process.kill(pid, `SIG${signal}`);
  };
  const freeze = () => signalServer('STOP');
  const thaw = () => signalServer('CONT');
  const destroy = async () => {
    // A frozen server would queue pg_ctl's signal forever.
    await thaw().catch(() => undefined);
    await command('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop']).catch(() => killByPidFile(dataDir));
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    await command('initdb', ['-D', dataDir, '-U', 'postgres', ...authenticationOptions(directory, options.password, runAsPostgres), '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  const credentials = options.password === undefined ? 'postgres' : `postgres:${encodeURIComponent(options.password)}`;
  return { url: `postgresql://${credentials}@127.0.0.1:${port}/postgres`, start, stop, freeze, thaw, destroy };
}

/** initdb's authentication: trust, or a password for the postgres role (read from a file initdb is given). */
function authenticationOptions(directory: string, password: string | undefined, runAsPostgres: boolean): string[] {
  if (password === undefined) return ['-A', 'trust'];
  const passwordFile = path.join(directory, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAsPostgres) chownSync(passwordFile, postgresUid(), postgresGid());
  return ['-A', 'scram-sha-256', `--pwfile=${passwordFile}`];
}

/** PG_BIN_DIR, else pg_config's, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout). */
function findPostgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  try {
    const fromPgConfig = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(fromPgConfig, 'pg_ctl'))) return fromPgConfig;
  } catch {
    // No pg_config on PATH: look where Debian installs the server.
  }
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => `/usr/lib/postgresql/${version}/bin`).find((dir) => existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BIN_DIR');
  return found;
}

const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
const postgresGid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());

/** The last resort when pg_ctl cannot stop it. */
function killByPidFile(dataDir: string): void {
  const pid = readPostmasterPid(dataDir);
  try {
    if (pid !== null) process.kill(pid, 'SIGKILL');
  } catch {
    // No such process: nothing left running.
  }
}

/** The postmaster's pid: the pid file's first line; null when there is none. */
function readPostmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
