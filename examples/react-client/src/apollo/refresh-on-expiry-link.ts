import { ApolloLink } from '@apollo/client';
import { from, mergeMap, of } from 'rxjs';
import type { TokenRefresher } from '../session/token-refresher';
import { AuthenticationReason, isUnauthenticatedFor } from './gatehouse-errors';
import './operation-context';

/**
 * When an operation comes back UNAUTHENTICATED / TOKEN_EXPIRED: refresh (once, shared with every
 * other operation that failed the same way, see TokenRefresher) and send it again, once. If the
 * refresh is refused the operation fails and the store is empty, which shows the login screen.
 */
export function createRefreshOnExpiryLink(refresher: TokenRefresher): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      mergeMap((result) => {
        const { skipsAuthorization, sentAccessToken } = operation.getContext();
        // Sent without an access token, a TOKEN_EXPIRED is about a token in the operation itself (an
        // invitation link, a selection token): refreshing would not help, and with no session it would
        // hide that reason behind "Not signed in".
        if (skipsAuthorization || !sentAccessToken || !isUnauthenticatedFor(result, [AuthenticationReason.TOKEN_EXPIRED])) return of(result);
        return from(refresher.replace(sentAccessToken)).pipe(mergeMap(() => forward(operation)));
      }),
    ),
  );
}
