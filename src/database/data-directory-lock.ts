import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { DatabaseInUseError } from './database-in-use-error';

/** How long a lock may go unrefreshed before it counts as a crashed holder's (and is taken over). */
const LOCK_STALE_MILLISECONDS = 10_000;
/** Past the stale window: long enough that a restart right after a crash takes the lock over. */
const LOCK_WAIT_MILLISECONDS = LOCK_STALE_MILLISECONDS + 1_000;

/** Directories this process holds: its own pid in a holder file means this process only if listed here. */
const heldHere = new Set<string>();

/** Who holds the lock: written beside it (proper-lockfile's lock is a directory it removes with rmdir). */
interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
}

/** Whether a live process holds the embedded database in `dataDir` (a stale lock counts as free). */
export function isDataDirectoryInUse(dataDir: string): Promise<boolean> {
  return lockfile.check(dataDir, { lockfilePath: `${dataDir}.lock`, stale: LOCK_STALE_MILLISECONDS });
}

/**
 * PGlite is one process's database: a second process opening the same directory corrupts it. Take
 * an exclusive lock (refreshed while we run, so a crashed holder's lock goes stale) and refuse to
 * start with a clear message instead. A holder still running on this machine is known at once from
 * the pid it wrote beside the lock; only an unknown or dead holder is waited for, until its lock is stale.
 */
export async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  // Before the lock file is even looked at: a directory this process holds is refused at once, whatever
  // the file's age (a busy event loop can let our own lock look stale, and we would take it from ourselves).
  if (heldHere.has(dataDir)) throw new DatabaseInUseError(`The embedded database ${dataDir} is already open in this process (pid ${process.pid}).`);
  mkdirSync(dataDir, { recursive: true });
  const holderFile = `${dataDir}.lock-holder.json`;
  const deadline = Date.now() + LOCK_WAIT_MILLISECONDS;
  for (let retryMilliseconds = 200; ; retryMilliseconds = Math.min(retryMilliseconds * 2, 2_000)) {
    try {
      const release = await lockfile.lock(dataDir, {
        lockfilePath: `${dataDir}.lock`,
        stale: LOCK_STALE_MILLISECONDS,
        update: 2_000,
        // If another process ever takes the lock from under us, stopping is safer than writing on.
        onCompromised: (error) => {
          throw error;
        },
      });
      heldHere.add(dataDir);
      const releaseAll = async () => {
        heldHere.delete(dataDir);
        rmSync(holderFile, { force: true });
        await release();
      };
      const holder: LockHolder = { pid: process.pid, hostname: hostname() };
      try {
        writeFileSync(holderFile, `${JSON.stringify(holder)}\n`);
      } catch (error) {
        await releaseAll();
        throw error;
      }
      return releaseAll;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED') throw error;
      const holder = readLockHolder(holderFile);
      // Our own pid is a previous life's (a container restarted after a crash runs as pid 1 again): wait for that lock to go stale.
      const isHeld = holder !== null && holder.pid !== process.pid && holder.hostname === hostname() && isRunning(holder.pid);
      if (isHeld || Date.now() >= deadline) {
        const where = holder === null || holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
        const who = holder === null ? 'another Gatehouse process' : `another Gatehouse process (pid ${holder.pid}${where})`;
        throw new DatabaseInUseError(`The embedded database ${dataDir} is in use by ${who}: stop it, or give this one its own DATA_DIR.`);
      }
      // The last try falls at the deadline, past the stale window, when a dead holder's lock can be taken over.
      await sleep(Math.min(retryMilliseconds, deadline - Date.now()));
    }
  }
}

function readLockHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.hostname === 'string' ? { pid: holder.pid, hostname: holder.hostname } : null;
  } catch {
    return null;
  }
}

/** Signal 0 checks that the process exists without touching it; EPERM means it exists as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
