import { ErrorReason, unauthenticated } from '../errors';
import type { Invitation, Prisma } from '../generated/prisma/client';
import { parseInput, tokenField } from '../graphql/input-validation';
import { parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import { InvitationStatus } from './invitation.type';

/**
 * Reading an invitation's link ("ghi_<id>.<secret>", tokens/opaque-token.ts) and where an invitation
 * stands. Inviting again or resending gives the invitation a new secret, so an older link no longer
 * matches: every claim re-checks the secret it was read with (claimableWhere).
 */

/** An invitation as a member (or its invitee) sees it. */
export type InvitationView = Invitation & { readonly status: InvitationStatus };

type InvitationReader = Pick<Prisma.TransactionClient, 'invitation'>;

/** The invitation a link names, whatever it stands at; null for a malformed link, an unknown id or a wrong secret. */
export async function findByLink(database: InvitationReader, presentedToken: string): Promise<Invitation | null> {
  // The token's shape bounds its length (a uuid and 43 characters), so an oversized one is merely malformed.
  const presented = parseOpaqueToken(TokenPrefix.invitation, presentedToken);
  if (!presented) return null;
  const invitation = await database.invitation.findUnique({ where: { id: presented.id } });
  return invitation && secretMatches(presented.secret, invitation.secretHash) ? invitation : null;
}

/** The invitation a link names, genuine (it may be answered or expired): the client's error otherwise. */
export async function findGenuine(database: InvitationReader, presentedToken: string): Promise<Invitation> {
  const invitation = await findByLink(database, parseInput(tokenField, presentedToken, 'token'));
  if (!invitation) throw invalidInvitation();
  return invitation;
}

/** The invitation a link names, open for acceptance: genuine, not answered, not revoked, not expired. */
export async function findOpen(database: InvitationReader, presentedToken: string, now: Date): Promise<Invitation> {
  const invitation = await findGenuine(database, presentedToken);
  if (invitation.acceptedAt || invitation.declinedAt || invitation.revokedAt) throw invalidInvitation();
  if (invitation.expiresAt <= now) throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'This invitation has expired; ask for a new one.');
  return invitation;
}

/**
 * The row exactly as it was read, still open: the conditional update that claims it fails if anything
 * answered it, revoked it or gave it a new secret (a resend) in between.
 */
export const claimableWhere = (invitation: Invitation, now: Date): Prisma.InvitationWhereInput => ({
  id: invitation.id,
  secretHash: invitation.secretHash,
  acceptedAt: null,
  declinedAt: null,
  revokedAt: null,
  expiresAt: { gt: now },
});

export function withStatus(invitation: Invitation, now: Date): InvitationView {
  const status = invitation.acceptedAt
    ? InvitationStatus.ACCEPTED
    : invitation.declinedAt
      ? InvitationStatus.DECLINED
      : invitation.revokedAt
        ? InvitationStatus.REVOKED
        : invitation.expiresAt <= now
          ? InvitationStatus.EXPIRED
          : InvitationStatus.PENDING;
  return { ...invitation, status };
}

/** The rows withStatus would give `status`, in the same order of precedence. */
export function statusWhere(status: InvitationStatus, now: Date): Prisma.InvitationWhereInput {
  const unanswered = { acceptedAt: null, declinedAt: null };
  switch (status) {
    case InvitationStatus.ACCEPTED:
      return { acceptedAt: { not: null } };
    case InvitationStatus.DECLINED:
      return { acceptedAt: null, declinedAt: { not: null } };
    case InvitationStatus.REVOKED:
      return { ...unanswered, revokedAt: { not: null } };
    case InvitationStatus.EXPIRED:
      return { ...unanswered, revokedAt: null, expiresAt: { lte: now } };
    case InvitationStatus.PENDING:
      return { ...unanswered, revokedAt: null, expiresAt: { gt: now } };
  }
}

export const invalidInvitation = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'This invitation link is invalid or was already answered.');
