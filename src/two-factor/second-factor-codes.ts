import type { Clock } from '../clock';
import type { Prisma, User } from '../generated/prisma/client';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import type { SecretBox } from './secret-box';
import { isTotpCodeFormat, matchTotpStep } from './totp';

export type SecondFactor = { readonly kind: 'totp'; readonly step: number } | { readonly kind: 'recovery'; readonly codeHash: string };

/** Thrown inside a transaction when the code cannot be spent, so what the transaction did rolls back. */
export class RejectedCode extends Error {}

export interface SecondFactorCodesOptions {
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  /** HMAC key for recovery codes (see recovery-codes.ts). */
  readonly recoveryCodeKey: Buffer;
}

/**
 * The codes a user proves the second factor with, and the rule that each is good once: a TOTP step
 * only above the last one accepted, a recovery code only while unused. Both are decided by
 * conditional updates, so two concurrent uses of one code cannot both pass.
 */
export class SecondFactorCodes {
  constructor(private readonly options: SecondFactorCodesOptions) {}

  /** TOTP secrets are sealed to their user: one user's ciphertext does not open as another's. */
  sealSecret(userId: string, secret: string): string {
    return this.options.secretBox.seal(secret, secretContext(userId));
  }

  openSecret(userId: string, sealed: string): string {
    return this.options.secretBox.open(sealed, secretContext(userId));
  }

  /** The step of a code for a secret (sealed), or null when it matches no step around now. */
  matchStep(userId: string, sealedSecret: string, code: string): Promise<number | null> {
    return matchTotpStep(this.openSecret(userId, sealedSecret), code.replace(/\s/g, ''), this.options.clock.now());
  }

  /** Fresh recovery codes to show the user once, and the rows that keep only their keyed hashes. */
  issueRecoveryCodes(userId: string, now: Date): { codes: string[]; rows: { userId: string; codeHash: string; createdAt: Date }[] } {
    const codes = generateRecoveryCodes();
    return { codes, rows: codes.map((code) => ({ userId, codeHash: this.hashRecoveryCode(code), createdAt: now })) };
  }

  /** What the code is, if anything: a TOTP code of a step around now, or a well-formed recovery code. */
  async identify(user: User, code: string): Promise<SecondFactor | null> {
    const compact = code.replace(/\s/g, '');
    if (isTotpCodeFormat(compact)) {
      if (user.totpSecret === null) return null;
      const step = await this.matchStep(user.id, user.totpSecret, compact);
      return step === null ? null : { kind: 'totp', step };
    }
    const recoveryCode = normalizeRecoveryCode(code);
    return recoveryCode === null ? null : { kind: 'recovery', codeHash: hashRecoveryCode(this.options.recoveryCodeKey, recoveryCode) };
  }

  /** Marks the factor used, or throws RejectedCode when it was spent before (a replayed step, a used or unknown recovery code). */
  async spend(transaction: Prisma.TransactionClient, user: User, factor: SecondFactor): Promise<void> {
    const { count } =
      factor.kind === 'totp'
        ? // Only a later step than the last accepted, and only for the secret the code was checked against.
          await transaction.user.updateMany({
            where: { id: user.id, totpSecret: user.totpSecret, OR: [{ totpLastStep: null }, { totpLastStep: { lt: factor.step } }] },
            data: { totpLastStep: factor.step },
          })
        : await transaction.recoveryCode.updateMany({
            where: { userId: user.id, codeHash: factor.codeHash, usedAt: null },
            data: { usedAt: this.options.clock.now() },
          });
    if (count === 0) throw new RejectedCode();
  }

  private hashRecoveryCode(code: string): string {
    const normalized = normalizeRecoveryCode(code);
    if (normalized === null) throw new Error('Generated a malformed recovery code.');
    return hashRecoveryCode(this.options.recoveryCodeKey, normalized);
  }
}

const secretContext = (userId: string): string => `gatehouse/totp-secret/${userId}`;
