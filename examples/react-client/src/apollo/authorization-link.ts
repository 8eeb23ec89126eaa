import { SetContextLink } from '@apollo/client/link/context';
import type { TokenRefresher } from '../session/token-refresher';
import type { TokenStore } from '../session/token-store';
import './operation-context';

/**
 * Sends the access token as "Authorization: Bearer …". A tab that holds only a refresh token (just
 * reloaded) refreshes first, so its first query already goes out signed in.
 */
export function createAuthorizationLink(store: TokenStore, refresher: TokenRefresher): SetContextLink {
  return new SetContextLink(async (previousContext) => {
    if (previousContext.skipsAuthorization || !store.hasSession()) return { sentAccessToken: null };
    const accessToken = store.currentAccessToken ?? (await refresher.replace(null));
    return {
      headers: { ...previousContext.headers, authorization: `Bearer ${accessToken}` },
      sentAccessToken: accessToken,
    };
  });
}
