import { ErrorReason, badUserInput } from '../errors';
import type { AppError } from '../errors';
import { isWellFormedText } from '../graphql/input-validation';
import type { PasswordStrengthEstimator } from './password-strength';

export interface PasswordPolicyOptions {
  readonly minLength: number;
  readonly maxLength: number;
}

/** zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
const MINIMUM_STRENGTH_SCORE = 3;

/** NIST 800-63B: compare in a canonical form, so the same password typed on two keyboards hashes the same. */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/**
 * No composition rules (NIST 800-63B): length, then a check against common and guessable passwords.
 * The cheap checks run first, on the event loop; only a password that passes them costs a strength
 * estimate, and that runs on a worker thread (password-strength.ts).
 */
export class PasswordPolicy implements PasswordPolicyOptions {
  readonly minLength: number;
  readonly maxLength: number;

  constructor(options: PasswordPolicyOptions, private readonly strength: PasswordStrengthEstimator) {
    this.minLength = options.minLength;
    this.maxLength = options.maxLength;
  }

  /**
   * Resolves with the normalized password, or rejects with BAD_USER_INPUT naming `field` (or
   * SERVICE_UNAVAILABLE when the estimates queued are at their limit).
   * userInputs (email, username) count as known words, so "ada.lovelace1815" is weak for ada.lovelace@….
   */
  async check(password: string, userInputs: readonly string[] = [], field = 'password'): Promise<string> {
    // Refuse absurd input before normalizing or hashing it: NFKC can expand a string up to 18-fold.
    if (password.length > this.maxLength * 2) throw tooLong(field, this.maxLength);
    if (!isWellFormedText(password)) throw badUserInput(field, 'The password is not well-formed text.', ErrorReason.INVALID_VALUE);
    const normalized = normalizePassword(password);
    const length = [...normalized].length;
    if (length > this.maxLength) throw tooLong(field, this.maxLength);
    if (length < this.minLength) {
      throw badUserInput(field, `The password must be at least ${this.minLength} characters long.`, ErrorReason.WEAK_PASSWORD);
    }
    const { score, warning } = await this.strength.estimate(normalized, userInputs);
    if (score < MINIMUM_STRENGTH_SCORE) {
      const hint = warning ? ` ${warning}` : '';
      throw badUserInput(field, `This password is too common or easy to guess.${hint}`, ErrorReason.WEAK_PASSWORD);
    }
    return normalized;
  }
}

const tooLong = (field: string, maxLength: number): AppError =>
  badUserInput(field, `The password must be at most ${maxLength} characters long.`, ErrorReason.INVALID_VALUE);
