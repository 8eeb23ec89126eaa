import { SessionEndedError, TokenRefresher } from '../../examples/react-client/src/session/token-refresher';
import type { RefreshRequest } from '../../examples/react-client/src/session/token-refresher';
import { TokenStore } from '../../examples/react-client/src/session/token-store';
import type { KeyValueStorage } from '../../examples/react-client/src/session/token-store';

/** sessionStorage's behaviour, in memory. */
class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/**
 * A refresh request the test answers by hand, recording the refresh tokens presented. Each answer
 * rotates the refresh token: "refresh-1" → "refresh-1+1".
 */
function controlledRefresh() {
  const presented: string[] = [];
  let answer: { resolve: (accessToken: string) => void; reject: (error: unknown) => void } | undefined;
  const request: RefreshRequest = (refreshToken) => {
    presented.push(refreshToken);
    return new Promise((resolve, reject) => {
      const session = { expiresAt: new Date().toISOString(), role: 'member', account: { id: 'account-1', name: 'Workshop' } };
      answer = { resolve: (accessToken) => resolve({ ...session, accessToken, refreshToken: `${refreshToken}+1` }), reject };
    });
  };
  return { request, presented, succeed: (accessToken: string) => answer!.resolve(accessToken), fail: (error: unknown) => answer!.reject(error) };
}

class Refusal extends Error {}
const isRefusal = (error: unknown) => error instanceof Refusal;

function signedInStore(): TokenStore {
  const store = new TokenStore(new MemoryStorage());
  store.save({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  return store;
}

describe('TokenRefresher', () => {
  it('gives every operation that failed with the same token the result of one refresh', async () => {
    const store = signedInStore();
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);

    const waiting = [refresher.replace('access-1'), refresher.replace('access-1'), refresher.replace('access-1')];
    refresh.succeed('access-2');

    await expect(Promise.all(waiting)).resolves.toEqual(['access-2', 'access-2', 'access-2']);
    expect(refresh.presented).toEqual(['refresh-1']);
    expect(store.currentRefreshToken).toBe('refresh-1+1');
  });

  it('does not refresh again for a failure that arrives after the refresh has finished', async () => {
    const store = signedInStore();
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);
    const first = refresher.replace('access-1');
    refresh.succeed('access-2');
    await first;

    await expect(refresher.replace('access-1')).resolves.toBe('access-2');
    expect(refresh.presented).toEqual(['refresh-1']);
  });

  it('refreshes again when the new token expires in turn', async () => {
    const store = signedInStore();
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);
    const first = refresher.replace('access-1');
    refresh.succeed('access-2');
    await first;

    const second = refresher.replace('access-2');
    refresh.succeed('access-3');

    await expect(second).resolves.toBe('access-3');
    expect(refresh.presented).toEqual(['refresh-1', 'refresh-1+1']);
  });

  it('ends the session when the refresh is refused: the store is emptied and every waiting operation fails', async () => {
    const store = signedInStore();
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);

    const waiting = [refresher.replace('access-1'), refresher.replace('access-1')];
    refresh.fail(new Refusal('SESSION_REVOKED'));

    for (const operation of waiting) await expect(operation).rejects.toBeInstanceOf(SessionEndedError);
    expect(store.hasSession()).toBe(false);
    expect(store.currentAccessToken).toBeNull();
  });

  it('keeps the tokens when the refresh fails for another reason (the network), for the next try', async () => {
    const store = signedInStore();
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);

    const waiting = refresher.replace('access-1');
    refresh.fail(new TypeError('Failed to fetch'));

    await expect(waiting).rejects.toBeInstanceOf(TypeError);
    expect(store.currentRefreshToken).toBe('refresh-1');
  });

  it('refuses without a request when this tab holds no session', async () => {
    const store = new TokenStore(new MemoryStorage());
    const refresh = controlledRefresh();
    const refresher = new TokenRefresher(store, refresh.request, isRefusal);

    await expect(refresher.replace(null)).rejects.toBeInstanceOf(SessionEndedError);
    expect(refresh.presented).toEqual([]);
  });
});
