import type { Prisma, PrismaClient } from '../generated/prisma/client';

/**
 * Prisma's defaults (wait 2 s for a connection, run 5 s) fail under load on PGlite, whose single
 * connection serializes transactions; a hung database still fails these in bounded time. On PostgreSQL
 * the pool's connect timeout (5 s by default) fires before maxWait, and each statement's timeout (10 s)
 * before the transaction's.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/**
 * What inTransaction hands its work. Pass it on to whatever must commit with the rest: Prisma calls run
 * on it directly, and a store runs its plain-SQL statements in it (database/hot-path-sql.ts, transactionSql).
 */
export type Transaction = Prisma.TransactionClient;

/** Runs `work` in one interactive transaction: it commits when `work` resolves and rolls back when it throws. */
export function inTransaction<Result>(prisma: PrismaClient, work: (transaction: Transaction) => Promise<Result>): Promise<Result> {
  return prisma.$transaction(work, TRANSACTION_OPTIONS);
}
