import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as commonLanguage from '@zxcvbn-ts/language-common';
import * as englishLanguage from '@zxcvbn-ts/language-en';
import { ErrorReason, badUserInput } from '../errors';
import type { AppError } from '../errors';
import { isWellFormedText } from '../input-validation';

export interface PasswordPolicyOptions {
  readonly minLength: number;
  readonly maxLength: number;
}

/** zxcvbn score 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
const MINIMUM_STRENGTH_SCORE = 3;
/**
 * zxcvbn's matching grows quickly with length (about 300 ms for 64 random symbols with its default
 * l33t table), which would let one sign-up block the event loop. Judging the first 64 characters
 * with a smaller l33t table keeps the worst case near 50 ms; beyond 64 characters a password is
 * long enough that its prefix decides.
 */
const STRENGTH_CHECK_LENGTH = 64;
const L33T_SUBSTITUTIONS = 4;

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: loading the dictionaries (49k common passwords, 100k+ words) takes ~150 ms. */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    maxLength: STRENGTH_CHECK_LENGTH,
    l33tMaxSubstitutions: L33T_SUBSTITUTIONS,
    dictionary: { ...commonLanguage.dictionary, ...englishLanguage.dictionary },
    graphs: commonLanguage.adjacencyGraphs,
    translations: englishLanguage.translations,
  });
  return estimator;
}

/** NIST 800-63B: compare in a canonical form, so the same password typed on two keyboards hashes the same. */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/**
 * Returns the normalized password, or throws BAD_USER_INPUT naming `field`.
 * No composition rules (NIST 800-63B): length, then a check against common and guessable passwords.
 * userInputs (email, username) count as known words, so "ada.lovelace1815" is weak for ada.lovelace@….
 */
export function checkPasswordPolicy(
  password: string,
  options: PasswordPolicyOptions,
  userInputs: readonly string[] = [],
  field = 'password',
): string {
  // Refuse absurd input before normalizing or hashing it: NFKC can expand a string up to 18-fold.
  if (password.length > options.maxLength * 2) throw tooLong(field, options.maxLength);
  if (!isWellFormedText(password)) throw badUserInput(field, 'The password is not well-formed text.', ErrorReason.INVALID_VALUE);
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length > options.maxLength) throw tooLong(field, options.maxLength);
  if (length < options.minLength) {
    throw badUserInput(field, `The password must be at least ${options.minLength} characters long.`, ErrorReason.WEAK_PASSWORD);
  }
  const result = strengthEstimator().check(normalized, [...userInputs]);
  if (result.score < MINIMUM_STRENGTH_SCORE) {
    const hint = result.feedback.warning ? ` ${result.feedback.warning}` : '';
    throw badUserInput(field, `This password is too common or easy to guess.${hint}`, ErrorReason.WEAK_PASSWORD);
  }
  return normalized;
}

const tooLong = (field: string, maxLength: number): AppError =>
  badUserInput(field, `The password must be at most ${maxLength} characters long.`, ErrorReason.INVALID_VALUE);
