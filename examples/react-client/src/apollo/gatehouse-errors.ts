import { CombinedGraphQLErrors } from '@apollo/client';
import type { ApolloLink } from '@apollo/client';

/** The stable extensions.reason values this client acts on (Gatehouse's src/errors.ts has them all). */
export const AuthenticationReason = {
  /** The access token is past its exp: refresh and try again. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** Logged out, revoked, or removed from the account: the session will not come back. */
  SESSION_REVOKED: 'SESSION_REVOKED',
  /** Idle or absolute lifetime reached. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
} as const;

/** Why an invitation link could not be used. */
export const InvitationReason = {
  /** The signed-in user's verified address (or the one typed to sign up) is not the invited one. */
  INVITATION_EMAIL_MISMATCH: 'INVITATION_EMAIL_MISMATCH',
} as const;

/** Whether the answer carries an UNAUTHENTICATED error with one of `reasons`. */
export function isUnauthenticatedFor(result: ApolloLink.Result, reasons: readonly string[]): boolean {
  const errors = 'errors' in result ? result.errors : undefined;
  return (errors ?? []).some(
    (error) => error.extensions?.code === 'UNAUTHENTICATED' && reasons.includes(String(error.extensions.reason)),
  );
}

/** The extensions.reason of every GraphQL error in `error` (an operation's error from Apollo); [] for any other failure. */
export function errorReasons(error: unknown): string[] {
  if (!CombinedGraphQLErrors.is(error)) return [];
  return error.errors.map((graphqlError) => String(graphqlError.extensions?.reason ?? ''));
}
