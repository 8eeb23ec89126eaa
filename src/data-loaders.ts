import DataLoader from 'dataloader';
import type { Account, Membership, PrismaClient, User } from './generated/prisma/client';

export interface MembershipKey {
  readonly userId: string;
  readonly accountId: string;
}

/** Per-request batching: however many memberships a response walks, users and accounts cost one query each. */
export interface DataLoaders {
  readonly users: DataLoader<string, User | null>;
  readonly accounts: DataLoader<string, Account | null>;
  /** Whether a user belongs to an account: one query for every pair a request asks about. */
  readonly memberships: DataLoader<MembershipKey, Membership | null, string>;
}

export function createDataLoaders(prisma: PrismaClient): DataLoaders {
  return {
    users: new DataLoader(async (ids) => inIdOrder(ids, await prisma.user.findMany({ where: { id: { in: [...ids] } } }))),
    accounts: new DataLoader(async (ids) => inIdOrder(ids, await prisma.account.findMany({ where: { id: { in: [...ids] } } }))),
    memberships: new DataLoader(
      async (keys) => {
        // Two IN lists rather than an OR per pair: a list of 1000 users asks about one account, and a
        // 1000-branch OR costs far more to build and plan. Extra rows the cross product may match are
        // never looked up below.
        const rows = await prisma.membership.findMany({
          where: { userId: { in: [...new Set(keys.map((key) => key.userId))] }, accountId: { in: [...new Set(keys.map((key) => key.accountId))] } },
        });
        const byKey = new Map(rows.map((row) => [membershipKey(row), row]));
        return keys.map((key) => byKey.get(membershipKey(key)) ?? null);
      },
      { cacheKeyFn: membershipKey },
    ),
  };
}

const membershipKey = ({ userId, accountId }: MembershipKey): string => `${userId}/${accountId}`;

function inIdOrder<Row extends { id: string }>(ids: readonly string[], rows: readonly Row[]): (Row | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
