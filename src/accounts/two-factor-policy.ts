import { ErrorReason, forbidden } from '../errors';
import { BuiltInRole } from './roles';

/** The roles an account's 2FA requirement applies to: those who can change who gets in and what they may do. */
export const TWO_FACTOR_ROLES: readonly string[] = [BuiltInRole.owner, BuiltInRole.admin];

export const isTwoFactorRequiredFor = (account: { readonly requireTwoFactor: boolean }, role: string): boolean =>
  account.requireTwoFactor && TWO_FACTOR_ROLES.includes(role);

export const twoFactorRequired = (message = 'This account requires two-factor authentication for your role; turn it on first.') =>
  forbidden(ErrorReason.TWO_FACTOR_REQUIRED, message);

/**
 * An account that requires 2FA admits its owners and admins only once they have it on. Checked at
 * every way into an account (session start and refresh), so no path around it exists.
 */
export function assertMeetsTwoFactorRequirement(
  user: { readonly totpEnabledAt: Date | null },
  account: { readonly requireTwoFactor: boolean },
  role: string,
): void {
  if (user.totpEnabledAt === null && isTwoFactorRequiredFor(account, role)) throw twoFactorRequired();
}
