import type { HotPathSql } from '../database/hot-path-sql';
import { findRefreshToken, rotateIfEligible, rotateRefreshToken } from './refresh-rotation.sql';
import type { EligibleRotation, EligibleRotationOutcome, RefreshTokenRecord, Rotation } from './refresh-rotation.sql';

/**
 * The refresh token operations a refresh runs, in plain SQL (database/hot-path-sql.ts says why): usually
 * one statement that reads and rotates; a read and an atomic write when that one refused or lost a race.
 */
export class RefreshTokenStore {
  constructor(private readonly sql: HotPathSql) {}

  /** A token with its session, user and account, and the membership's current role (refresh-rotation.sql.ts); null for an unknown id. */
  find(tokenId: string): Promise<RefreshTokenRecord | null> {
    return findRefreshToken(this.sql, tokenId);
  }

  /** Reads the token and, when nothing refuses it, rotates it (as `rotate` does) in the same statement (refresh-rotation.sql.ts). */
  rotateIfEligible(rotation: EligibleRotation): Promise<EligibleRotationOutcome> {
    return rotateIfEligible(this.sql, rotation);
  }

  /**
   * Touches the session, rotates the token to its successor and writes the audit row, in one statement:
   * 'session-ended' when the session was revoked meanwhile, 'lost-race' when another request rotated the token first.
   */
  rotate(rotation: Rotation): Promise<'rotated' | 'session-ended' | 'lost-race'> {
    return rotateRefreshToken(this.sql, rotation);
  }
}
