import { z } from 'zod';
import { confusableSkeleton, isHighlyRestrictive } from './username-confusables';

export const usernameField = z
  .string()
  .max(128, 'too long')
  .transform((value) => value.trim().normalize('NFKC'))
  .pipe(
    z
      .string()
      .min(3, 'at least 3 characters')
      .max(32, 'at most 32 characters')
      .regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, ".", "_" and "-" only'),
  );

/**
 * A username a new user may take: one script (docs/how-it-works.md, "Usernames"). Login keeps
 * usernameField, so a user whose name predates the rule still logs in with it.
 */
export const newUsernameField = usernameField.refine(
  isHighlyRestrictive,
  'letters of one script only (Latin may be written with Han and kana, Han and Bopomofo, or Han and Hangul)',
);

export const usernameKey = (username: string): string => username.toLowerCase();

/** What makes a username unique: look-alikes in any case share it ("Scope", "ѕсоре" in Cyrillic). */
export const usernameSkeleton = (username: string): string => confusableSkeleton(usernameKey(username));
