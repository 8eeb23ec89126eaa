import { ApolloLink } from '@apollo/client';
import { tap } from 'rxjs';
import type { TokenStore } from '../session/token-store';
import { AuthenticationReason, isUnauthenticatedFor } from './gatehouse-errors';
import './operation-context';

const ENDED = [AuthenticationReason.SESSION_REVOKED, AuthenticationReason.SESSION_EXPIRED];

/**
 * A session the server has ended (logout in another tab, revocation, removal from the account, its
 * lifetime) cannot be refreshed back: forget it here too, which shows the login screen.
 */
export function createSessionEndLink(store: TokenStore): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap((result) => {
        const { sentAccessToken } = operation.getContext();
        // Only the session this tab still holds: an answer to an older token says nothing about the current one.
        if (sentAccessToken && sentAccessToken === store.currentAccessToken && isUnauthenticatedFor(result, ENDED)) store.clear();
      }),
    ),
  );
}
