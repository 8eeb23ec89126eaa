import path from 'node:path';
import { Piscina } from 'piscina';
import { serverBusy } from '../errors';

/** What password-strength.worker.js answers. */
export interface PasswordStrength {
  /** zxcvbn's score: 0 (guessable in seconds) to 4 (safely unguessable). */
  readonly score: number;
  readonly warning: string | null;
  /** The worker thread that computed it: never the event loop's (threadId 0 in a process's main thread). */
  readonly threadId: number;
}

interface StrengthTask {
  readonly password: string;
  readonly userInputs: string[];
}

export interface PasswordStrengthPoolOptions {
  /** Estimates running at once, one per thread. */
  readonly threads: number;
  /** Estimates waiting beyond those before new ones are shed with SERVICE_UNAVAILABLE instead of queueing without end. */
  readonly queueLimit: number;
  /** A thread idle this long exits (and frees the ~70 MB its dictionaries take); the next estimate starts one again. */
  readonly idleTimeoutMilliseconds: number;
}

/**
 * One thread: on the 2-core machines Gatehouse is sized for, the other core belongs to the event loop
 * and argon2, and a second estimating thread would take CPU from them to check more passwords than
 * anyone legitimately submits (one thread checks 8–25 worst-case passwords a second). 32 waiting is
 * about 4 s of the worst estimates; a client that would wait longer is told to retry. A minute idle
 * before the thread exits: a quiet server holds no thread and no dictionaries.
 */
export const PASSWORD_STRENGTH_POOL: PasswordStrengthPoolOptions = { threads: 1, queueLimit: 32, idleTimeoutMilliseconds: 60_000 };

/** Plain JavaScript next to this file, here and in dist/ (tsconfig.build.json's allowJs copies it). */
const WORKER_FILE = path.join(__dirname, 'password-strength.worker.js');

/**
 * zxcvbn on a small worker-thread pool (piscina): an estimate takes 40–130 ms of CPU, which on the
 * event loop would stall every other request, so an anonymous client could slow the whole service with
 * sign-ups. The pool starts on the first estimate, not before, and close() ends its thread.
 */
export class PasswordStrengthEstimator {
  private pool: Piscina<StrengthTask, PasswordStrength> | undefined;
  private inFlight = 0;
  private isClosed = false;

  constructor(private readonly options: PasswordStrengthPoolOptions = PASSWORD_STRENGTH_POOL) {}

  /** Refused with SERVICE_UNAVAILABLE (SERVER_BUSY, retryAfter) when queueLimit estimates already wait, or after close(). */
  async estimate(password: string, userInputs: readonly string[]): Promise<PasswordStrength> {
    if (this.isClosed || this.inFlight >= this.options.threads + this.options.queueLimit) throw serverBusy();
    this.inFlight++;
    try {
      return await this.startedPool().run({ password, userInputs: [...userInputs] });
    } finally {
      this.inFlight--;
    }
  }

  /** Threads alive now: none before the first estimate, after the idle timeout, or after close(). */
  get threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  private startedPool(): Piscina<StrengthTask, PasswordStrength> {
    this.pool ??= new Piscina({
      filename: WORKER_FILE,
      // No thread kept when idle: minThreads 0 lets the idle timeout end the last one too.
      minThreads: 0,
      maxThreads: this.options.threads,
      idleTimeout: this.options.idleTimeoutMilliseconds,
    });
    return this.pool;
  }
}
