import type { InvitationPreviewQuery } from '../gql/graphql';

type InvitationPreview = NonNullable<InvitationPreviewQuery['invitation']>;

/** What an answered, revoked or expired invitation says instead of offering to join. */
const CLOSED: Record<string, string> = {
  ACCEPTED: 'This invitation has already been accepted.',
  DECLINED: 'This invitation was declined.',
  REVOKED: 'This invitation was withdrawn.',
  EXPIRED: 'This invitation has expired. Ask for a new one.',
};

/** Who invites, to which account, with which role, until when (the preview names nobody's address). */
export function InvitationSummary({ invitation }: { readonly invitation: InvitationPreview }) {
  return (
    <>
      <dl>
        <dt>Account</dt>
        <dd data-testid="invitation-account">{invitation.accountName}</dd>
        <dt>Role</dt>
        <dd data-testid="invitation-role">{invitation.role}</dd>
        <dt>Invited by</dt>
        <dd data-testid="invitation-inviter">{invitation.inviterName}</dd>
        <dt>Open until</dt>
        <dd>{new Date(invitation.expiresAt).toLocaleString()}</dd>
      </dl>
      {invitation.status in CLOSED && (
        <p className="notice" data-testid="invitation-status">
          {CLOSED[invitation.status]}
        </p>
      )}
    </>
  );
}
