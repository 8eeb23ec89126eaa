import { z } from 'zod';
import { badUserInput, ErrorReason } from '../errors';

/**
 * Parses input with a zod schema; the first problem becomes BAD_USER_INPUT naming its field (for a
 * lone argument, argumentName). Input values are never echoed.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, argumentName = 'input'): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || argumentName;
  throw badUserInput(field, `Invalid ${field}: ${issue?.message ?? 'invalid value'}.`, ErrorReason.INVALID_VALUE);
}

// Control characters have no business in names, identifiers or addresses; they hide spoofing and break logs.
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}]/u;
const noControlCharacters = (value: string) => !CONTROL_CHARACTERS.test(value);

/**
 * A lone UTF-16 surrogate is not text: stored or hashed as UTF-8 it silently becomes U+FFFD, so two
 * different inputs would turn into the same name or password. (String.prototype.isWellFormed, ES2024.)
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

/** Trimmed, NFKC, lower-cased: the one form an email is stored and looked up in. */
export const normalizeEmail = (email: string): string => email.trim().normalize('NFKC').toLowerCase();

export const emailField = z
  .string()
  .max(320, 'too long')
  .transform(normalizeEmail)
  .pipe(z.email('not a valid email address').max(254, 'too long'));

export const displayNameField = z
  .string()
  .max(400, 'too long')
  .transform((value) => value.trim().normalize('NFKC'))
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(100, 'at most 100 characters')
      .refine(noControlCharacters, 'no control characters')
      .refine(isWellFormedText, 'not well-formed text'),
  );

export const clientIdField = z
  .string()
  .max(200, 'too long')
  .regex(/^[\x21-\x7e]{1,100}$/, '1 to 100 printable ASCII characters');

/** Ids are UUIDs; checking here keeps a malformed id from ever reaching the database as a query error. */
export const idField = z.string().max(64, 'too long').uuid('not a valid id');

export const roleNameField = z.string().max(64, 'too long').regex(/^[a-z][a-z0-9_-]*$/, 'not a valid role name');

/**
 * Opaque tokens are checked by their own parser; this only bounds their size. The bound fits any token
 * Gatehouse issues (an RS256 access token with a long scope, a 4096-bit key), so a token of the wrong
 * kind is refused as a token (UNAUTHENTICATED), not as malformed input.
 */
export const tokenField = z.string().max(4096, 'too long');
