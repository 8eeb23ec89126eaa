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

/** Whether the answer carries an UNAUTHENTICATED error with one of `reasons`. */
export function isUnauthenticatedFor(result: ApolloLink.Result, reasons: readonly string[]): boolean {
  const errors = 'errors' in result ? result.errors : undefined;
  return (errors ?? []).some(
    (error) => error.extensions?.code === 'UNAUTHENTICATED' && reasons.includes(String(error.extensions.reason)),
  );
}
