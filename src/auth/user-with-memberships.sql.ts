import type { HotPathSql } from '../database/hot-path-sql';
import { ModelColumns } from '../database/model-columns';
import { Prisma } from '../generated/prisma/client';
import type { Account, Membership, User } from '../generated/prisma/client';
import type { MembershipWithAccount } from './auth.types';

const userColumns = new ModelColumns<User>('user', Prisma.UserScalarFieldEnum);
const membershipColumns = new ModelColumns<Membership>('membership', Prisma.MembershipScalarFieldEnum);
const accountColumns = new ModelColumns<Account>('account', Prisma.AccountScalarFieldEnum);

/** The unique columns a user is found by. */
export type UserKeyField = 'id' | 'email' | 'usernameKey';

export interface UserWithMemberships {
  readonly user: User;
  /** Most recently used first, then oldest first: the order the account choice lists them in. */
  readonly memberships: MembershipWithAccount[];
}

const select = (where: string) => `SELECT ${userColumns.select('u')}, ${membershipColumns.select('m')}, ${accountColumns.select('a')}
  FROM "User" u
  LEFT JOIN "Membership" m ON m."userId" = u."id"
  LEFT JOIN "Account" a ON a."id" = m."accountId"
  WHERE ${where}
  ORDER BY m."lastUsedAt" DESC NULLS LAST, m."createdAt" ASC`;

const SELECT_BY: Record<UserKeyField, string> = {
  id: select('u."id" = $1::uuid'),
  email: select('u."email" = $1'),
  usernameKey: select('u."usernameKey" = $1'),
};

/**
 * A user and their memberships with accounts, in one flat statement (a row per membership, in plain
 * SQL: database/hot-path-sql.ts says why). A login reads this before hashing: the same one statement whether or not
 * the user exists. test/auth/user-with-memberships.test.ts checks it reads what Prisma reads.
 */
export async function findUserWithMemberships(sql: HotPathSql, field: UserKeyField, value: string): Promise<UserWithMemberships | null> {
  const rows = await sql.query<Record<string, unknown>>(SELECT_BY[field], [value]);
  if (rows.length === 0) return null;
  const memberships = rows
    .filter((row) => row['membership.userId'] !== null)
    .map((row) => ({ ...membershipColumns.read(row), account: accountColumns.read(row) }));
  return { user: userColumns.read(rows[0]!), memberships };
}
