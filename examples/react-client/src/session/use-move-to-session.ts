import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import type { SessionFieldsFragment } from '../gql/graphql';
import { useSession } from './session-context';

/**
 * Moves this tab to a session the server has just started for it (switchAccount, createAccount): keeps
 * its tokens, then runs every active query again under them, so nothing of the previous account
 * stays on screen. The previous session has ended on the server; its tokens are simply dropped.
 */
export function useMoveToSession(): (session: SessionFieldsFragment) => Promise<void> {
  const { store } = useSession();
  const apollo = useApolloClient();
  return useCallback(
    async (session: SessionFieldsFragment) => {
      store.save(session);
      await apollo.resetStore();
    },
    [store, apollo],
  );
}
