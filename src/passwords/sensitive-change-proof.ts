import { badUserInput, ErrorReason } from '../errors';
import type { User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import type { ConfirmationPurpose, PasswordConfirmation } from './password-confirmation';

/**
 * Spends one of the user's TOTP or recovery codes, or refuses it (two-factor/second-factor-proof.ts
 * does, wired in services.ts: this layer sits below two-factor/).
 */
export interface SecondFactorCheck {
  spend(user: User, code: string, actor: { userId: string; sessionId: string }, request: RequestMetadata): Promise<void>;
}

/** What a sensitive change asks for, in the same request as the change. */
export interface SensitiveChangeCredentials {
  readonly currentPassword: string;
  /** A TOTP or recovery code: required when the user has 2FA on, ignored otherwise. */
  readonly twoFactorCode?: string | null;
}

/**
 * Fresh proof for the changes a stolen session must not be able to make (handing an account over,
 * deleting it, changing the email address, deleting the user): the current password, and where the
 * user has two-factor authentication on, a current code as well, so a phished password with a hijacked
 * session is still not enough. Both go through their usual limits and audit trails.
 */
export class SensitiveChangeProof {
  constructor(
    private readonly options: {
      readonly passwords: PasswordConfirmation;
      readonly secondFactor: SecondFactorCheck;
    },
  ) {}

  async confirm(user: User, credentials: SensitiveChangeCredentials, actor: { sessionId: string; purpose: ConfirmationPurpose }, request: RequestMetadata): Promise<void> {
    await this.options.passwords.confirm(user, credentials.currentPassword, actor, request);
    if (user.totpEnabledAt === null) return;
    if (!credentials.twoFactorCode) {
      throw badUserInput('twoFactorCode', 'Two-factor authentication is on for you: give a current code (or a recovery code) too.', ErrorReason.TWO_FACTOR_CODE_REQUIRED);
    }
    await this.options.secondFactor.spend(user, credentials.twoFactorCode, { userId: user.id, sessionId: actor.sessionId }, request);
  }
}
