import type { PrismaClient } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';
import type { ConfirmationPurpose, PasswordConfirmation } from '../passwords/password-confirmation';

/** What a sensitive change carries besides its own input: fresh proof that the account holder is at the keyboard. */
export interface SensitiveChangeProof {
  readonly currentPassword: string;
}

export interface SensitiveChangeConfirmationOptions {
  readonly prisma: PrismaClient;
  readonly passwordConfirmation: PasswordConfirmation;
}

/**
 * The one check in front of every sensitive account change (transferOwnership, deleteAccount): a stolen
 * access token alone cannot hand an account away or destroy it. Kept in one place so that a second
 * factor for users with 2FA joins here, for every such change at once.
 */
export class SensitiveChangeConfirmation {
  constructor(private readonly options: SensitiveChangeConfirmationOptions) {}

  /** Resolves when the proof is good; INVALID_CREDENTIALS (counted with logins) or RATE_LIMITED otherwise. */
  async confirm(actor: { userId: string; sessionId: string }, proof: SensitiveChangeProof, purpose: ConfirmationPurpose, request: RequestMetadata): Promise<void> {
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    await this.options.passwordConfirmation.confirm(user, proof.currentPassword, { sessionId: actor.sessionId, purpose }, request);
  }
}
