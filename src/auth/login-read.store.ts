import type { HotPathSql } from '../database/hot-path-sql';
import { findUserWithMemberships } from './user-with-memberships.sql';
import type { UserWithMemberships } from './user-with-memberships.sql';

/**
 * A login's read: the user with their memberships and accounts, by whichever key identifies them, in one
 * plain-SQL statement (user-with-memberships.sql.ts; database/hot-path-sql.ts says why). Null when nobody has it.
 */
export class LoginReadStore {
  constructor(private readonly sql: HotPathSql) {}

  findById(userId: string): Promise<UserWithMemberships | null> {
    return findUserWithMemberships(this.sql, 'id', userId);
  }

  findByEmail(email: string): Promise<UserWithMemberships | null> {
    return findUserWithMemberships(this.sql, 'email', email);
  }

  /** By the username's comparison key (users/username.ts, usernameKey), not the username as typed. */
  findByUsernameKey(usernameKey: string): Promise<UserWithMemberships | null> {
    return findUserWithMemberships(this.sql, 'usernameKey', usernameKey);
  }
}
