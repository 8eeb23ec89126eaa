import type { SessionFieldsFragment } from '../gql/graphql';
import type { TokenStore } from './token-store';

/** Trades a refresh token for a new session; rejects when the server refuses it or cannot be reached. */
export type RefreshRequest = (refreshToken: string) => Promise<SessionFieldsFragment>;

/** The server answered the refresh with an error: the session is over and the tokens are gone. */
export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
}

/**
 * One refresh at a time. When an access token expires, every operation in flight fails with
 * TOKEN_EXPIRED at about the same moment; each asks for a replacement of the token it sent, and all
 * of them get the result of a single refreshToken call: joined while it runs, or read from the store
 * once it has run. A second call would present a refresh token the first had already rotated.
 */
export class TokenRefresher {
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly store: TokenStore,
    private readonly requestRefresh: RefreshRequest,
    /** Whether a failed refresh means the server refused the token (rather than the network failing). */
    private readonly isRefusal: (error: unknown) => boolean,
  ) {}

  /**
   * A usable access token in place of `staleAccessToken` (the one an operation sent, or null when it
   * had none). Refreshes only if the store still holds that same token.
   */
  replace(staleAccessToken: string | null): Promise<string> {
    const current = this.store.currentAccessToken;
    if (current !== null && current !== staleAccessToken) return Promise.resolve(current);
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<string> {
    const refreshToken = this.store.currentRefreshToken;
    if (refreshToken === null) throw new SessionEndedError('Not signed in.');
    try {
      const session = await this.requestRefresh(refreshToken);
      this.store.save(session);
      return session.accessToken;
    } catch (error) {
      // Refused (revoked, expired, reused): back to the login screen. A network failure keeps the
      // tokens, so the next operation can try again once the API is reachable.
      if (!this.isRefusal(error)) throw error;
      this.store.clear();
      throw new SessionEndedError('The session has ended; sign in again.', { cause: error });
    }
  }
}
