import type { Transaction } from '../database/transaction';
import type { Account, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../identity/request-metadata';

/** The account and role an invitation made the new user a member of. */
export interface InvitedMembership {
  readonly account: Account;
  readonly role: string;
}

/**
 * Sign-up with an invitation's link (signUp's inviteToken). invitations/ implements it: it sits above
 * auth/, which names only this interface (services.ts wires the two).
 */
export interface InvitationRedeemer {
  /** The address the link's open invitation was sent to; throws the client's error for a link that is invalid, expired or answered. */
  invitedEmail(presentedToken: string): Promise<string>;
  /** Inside the sign-up's transaction: claims the invitation for the new user and makes them a member, or throws (and so rolls it all back). */
  redeem(transaction: Transaction, presentedToken: string, user: User, request: RequestMetadata): Promise<InvitedMembership>;
}
