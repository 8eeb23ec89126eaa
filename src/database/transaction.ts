import { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * Prisma's defaults (wait 2 s for a connection, run 5 s) fail under load on PGlite, whose single
 * connection serializes transactions; a hung database still fails these in bounded time. On PostgreSQL
 * the pool's connect timeout (5 s by default) fires before maxWait, and each statement's timeout (10 s)
 * before the transaction's.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** Tries after the first, for a transaction PostgreSQL aborted as a deadlock's victim. */
const WRITE_CONFLICT_RETRIES = 2;

/**
 * What inTransaction hands its work. Pass it on to whatever must commit with the rest: Prisma calls run
 * on it directly, and a store runs its plain-SQL statements in it (database/hot-path-sql.ts, transactionSql).
 */
export type Transaction = Prisma.TransactionClient;

/**
 * Runs `work` in one interactive transaction: it commits when `work` resolves and rolls back when it
 * throws. A transaction PostgreSQL ended as a deadlock's victim (40P01) or a serialization failure (40001)
 * rolled back whole, so it runs again, as a request arriving a moment later would: two changes that lock
 * rows of one account in different orders (deleting a user while someone accepts an invitation into
 * their account) then both get a real answer instead of an internal error. `work` must keep its side
 * effects in the transaction, as every caller's does.
 */
export async function inTransaction<Result>(prisma: PrismaClient, work: (transaction: Transaction) => Promise<Result>): Promise<Result> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await prisma.$transaction(work, TRANSACTION_OPTIONS);
    } catch (error) {
      if (attempt >= WRITE_CONFLICT_RETRIES || !isWriteConflict(error)) throw error;
    }
  }
}

/** A deadlock or serialization failure, however it reached us: a Prisma query (P2034), a raw one (P2010), or node-postgres. */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2034') return true;
    const cause = (error.meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined)?.cause;
    return cause?.kind === 'TransactionWriteConflict';
  }
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
