import { inTransaction } from '../../src/database/transaction';
import type { Transaction } from '../../src/database/transaction';
import { signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * Two transactions that lock the same two rows in opposite orders deadlock on PostgreSQL, which aborts
 * one of them (40P01) after deadlock_timeout. inTransaction runs the victim again, so both complete.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('runs a deadlock victim again, so two transactions locking in opposite orders both complete', async () => {
  const [first, second] = await Promise.all([signUp(server), signUp(server)]);
  const bothLockedOneRow = barrier(2);
  const attempts = { forward: 0, backward: 0 };
  const lockThenLock = (direction: keyof typeof attempts, [a, b]: string[]) => async (transaction: Transaction) => {
    attempts[direction] += 1;
    await lockAccount(transaction, a!);
    // Only the first attempts wait for each other, which is what makes them deadlock; a retry goes straight on.
    if (attempts[direction] === 1) await bothLockedOneRow();
    await lockAccount(transaction, b!);
    await transaction.account.update({ where: { id: a! }, data: { name: `${direction} ${attempts[direction]}` } });
    return direction;
  };

  const results = await Promise.all([
    inTransaction(server.prisma, lockThenLock('forward', [first.accountId, second.accountId])),
    inTransaction(server.prisma, lockThenLock('backward', [second.accountId, first.accountId])),
  ]);

  expect(results).toEqual(['forward', 'backward']);
  expect(attempts.forward + attempts.backward).toBe(3);
});

it('does not run again what failed for any other reason', async () => {
  let attempts = 0;
  const failing = inTransaction(server.prisma, async () => {
    attempts += 1;
    throw new Error('not a conflict');
  });

  await expect(failing).rejects.toThrow('not a conflict');
  expect(attempts).toBe(1);
});

const lockAccount = (transaction: Transaction, id: string) => transaction.$queryRaw`SELECT "id" FROM "Account" WHERE "id" = ${id}::uuid FOR UPDATE`;

/** Resolves each caller once `count` of them have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === count) release();
    return released;
  };
}
