import DataLoader from 'dataloader';
import type { Account, PrismaClient, User } from '../generated/prisma/client';
import { MembershipLookup } from './membership-lookup';

/** Per-request batching: however many memberships a response walks, users and accounts cost one query each. */
export interface DataLoaders {
  readonly users: DataLoader<string, User | null>;
  readonly accounts: DataLoader<string, Account | null>;
  readonly memberships: MembershipLookup;
}

export function createDataLoaders(prisma: PrismaClient): DataLoaders {
  return {
    users: new DataLoader(async (ids) => inIdOrder(ids, await prisma.user.findMany({ where: { id: { in: [...ids] } } }))),
    accounts: new DataLoader(async (ids) => inIdOrder(ids, await prisma.account.findMany({ where: { id: { in: [...ids] } } }))),
    memberships: new MembershipLookup(prisma),
  };
}

function inIdOrder<Row extends { id: string }>(ids: readonly string[], rows: readonly Row[]): (Row | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
