import type { AbuseLimits } from '../abuse/abuse-limits';
import { userAttemptKey } from '../abuse/login-throttle';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { invalidCredentials } from '../errors';
import type { User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import type { PasswordHasher } from './password-hasher';
import { normalizePassword } from './password-policy';

export interface PasswordConfirmationOptions {
  readonly hasher: PasswordHasher;
  readonly limits: AbuseLimits['login'];
  readonly audit: AuditLog;
  /** Passwords longer than this (twice the policy's maximum, before normalizing) are never hashed. */
  readonly maxLength: number;
}

/** What the password is being confirmed for, as the audit log records a wrong one. */
export type ConfirmationPurpose = 'CHANGE_PASSWORD' | 'ENABLE_TWO_FACTOR' | 'TRANSFER_OWNERSHIP' | 'DELETE_ACCOUNT' | 'CHANGE_EMAIL' | 'DELETE_USER';

/**
 * Fresh proof of the current password, in the same request as a sensitive change by a signed-in user
 * (changing the password, turning on 2FA): a stolen access token alone cannot make it. Each check is a
 * guess like a login's, so it goes through the same limits, counted per user with their logins (so
 * neither path adds guesses to the other), and through the same bounded hashing queue.
 */
export class PasswordConfirmation {
  constructor(private readonly options: PasswordConfirmationOptions) {}

  /** Resolves when `password` is the user's; throws INVALID_CREDENTIALS (counted) or RATE_LIMITED. */
  async confirm(user: User, password: string, actor: { sessionId: string; purpose: ConfirmationPurpose }, request: RequestMetadata): Promise<void> {
    const { hasher, limits, audit } = this.options;
    const key = userAttemptKey(user.id);
    await limits.check(key, request.ip);
    const isValid =
      password.length <= this.options.maxLength &&
      (await hasher.verify(user.passwordHash, normalizePassword(password)).catch(async (error: unknown) => {
        // Refused before hashing (server busy): no password was tried, so the attempt does not count.
        await limits.release(key, request.ip);
        throw error;
      }));
    if (!isValid) {
      const event = { userId: user.id, sessionId: actor.sessionId, ...request };
      const { isLocked, blockSeconds } = await limits.fail(key);
      if (isLocked) await audit.record({ ...event, type: AuthEventType.LOCKED_OUT, details: { lockSeconds: blockSeconds } });
      await audit.record({ ...event, type: AuthEventType.LOGIN_FAILED, reason: 'WRONG_CURRENT_PASSWORD', details: { during: actor.purpose } });
      throw invalidCredentials();
    }
    await limits.reset(key, request.ip);
  }
}
