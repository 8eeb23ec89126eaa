import type { Account, Membership } from '../generated/prisma/client';
import type { SessionGrant } from '../sessions/session-grant';
import type { TwoFactorChallenge } from './second-factor-challenges';

export interface AccountChoice {
  readonly selectionToken: string;
  readonly expiresAt: Date;
  readonly accounts: readonly { id: string; name: string; role: string }[];
  readonly lastAccountId: string | null;
}

export type LoginOutcome = SessionGrant | AccountChoice | TwoFactorChallenge;

export type MembershipWithAccount = Membership & { account: Account };
