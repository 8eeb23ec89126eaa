import { badUserInput, ErrorReason } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import type { ConfirmationPurpose, PasswordConfirmation } from './password-confirmation';

/**
 * Spends one of the user's TOTP or recovery codes, or refuses it (two-factor/second-factor-proof.ts
 * does, wired in services.ts: this layer sits below two-factor/).
 */
export interface SecondFactorCheck {
  spend(user: User, code: string, actor: { userId: string; sessionId: string }, request: RequestMetadata): Promise<void>;
}

/** What a sensitive change asks for besides its own input, in the same request. */
export interface SensitiveChangeCredentials {
  readonly currentPassword: string;
  /** A TOTP or recovery code: required when the user has 2FA on, ignored otherwise. */
  readonly twoFactorCode?: string | null;
}

export interface SensitiveChangeConfirmationOptions {
  readonly prisma: PrismaClient;
  readonly passwordConfirmation: PasswordConfirmation;
  readonly secondFactor: SecondFactorCheck;
}

/**
 * The one check in front of every change a stolen session must not be able to make (handing an account
 * over, deleting it, changing the email address, deleting the user): the current password, and where
 * the user has two-factor authentication on, a current code as well, so a phished password with a
 * hijacked session is still not enough. Both go through their usual limits and audit trails.
 */
export class SensitiveChangeConfirmation {
  constructor(private readonly options: SensitiveChangeConfirmationOptions) {}

  /**
   * Resolves with the user (read for the check, so the change need not read them again) when the proof
   * is good; otherwise INVALID_CREDENTIALS (counted with logins), a refused code (INVALID_TWO_FACTOR_CODE,
   * counted with codes), TWO_FACTOR_CODE_REQUIRED, or RATE_LIMITED.
   */
  async confirm(actor: { userId: string; sessionId: string }, credentials: SensitiveChangeCredentials, purpose: ConfirmationPurpose, request: RequestMetadata): Promise<User> {
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    await this.options.passwordConfirmation.confirm(user, credentials.currentPassword, { sessionId: actor.sessionId, purpose }, request);
    if (user.totpEnabledAt === null) return user;
    if (!credentials.twoFactorCode) {
      throw badUserInput('twoFactorCode', 'Two-factor authentication is on for you: give a current code (or a recovery code) too.', ErrorReason.TWO_FACTOR_CODE_REQUIRED);
    }
    await this.options.secondFactor.spend(user, credentials.twoFactorCode, actor, request);
    return user;
  }
}
