import { readdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { setPriority } from 'node:os';

const threadIds = (): Set<number> => new Set(readdirSync('/proc/self/task').map(Number));

/**
 * argon2 hashes on libuv's thread pool, and on a machine with few cores a login flood keeps every core
 * busy hashing: the event loop then queues for a core behind the hashes, and every other request (a
 * `me`, a refresh) waits with it. Linux keeps a nice value per thread, so the pool is started here, its
 * threads told apart from every thread that existed before, and lowered to `niceness`: when the cores
 * are contended, the event loop goes first and hashing takes what it leaves, which under a flood is
 * nearly everything. The pool's other work (fs, DNS) runs at the same priority, which only matters
 * while the CPU is saturated. The password strength worker runs at nice 10 for the same reason.
 *
 * Must run before anything else uses the pool: main.ts calls it first. Resolves with how many threads
 * it lowered: none when the pool had already started, off Linux, or with `niceness` 0.
 */
export async function lowerThreadPoolPriority(niceness: number): Promise<number> {
  if (process.platform !== 'linux' || niceness === 0) return 0;
  let before: Set<number>;
  try {
    before = threadIds();
  } catch {
    return 0;
  }
  // The first job queued starts every pool thread (UV_THREADPOOL_SIZE of them) before it runs.
  await access('/').catch(() => undefined);
  let lowered = 0;
  for (const id of threadIds()) {
    if (before.has(id)) continue;
    try {
      setPriority(id, niceness);
      lowered++;
    } catch {
      // A thread that ended meanwhile: nothing to lower.
    }
  }
  return lowered;
}
