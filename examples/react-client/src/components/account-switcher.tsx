import { useApolloClient, useMutation } from '@apollo/client/react';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { ErrorMessage } from '../components/error-message';
import { SwitchAccountDocument } from '../gql/graphql';
import type { MeQuery } from '../gql/graphql';
import { useSession } from '../session/session-context';

type Membership = NonNullable<MeQuery['me']>['memberships'][number];

/** switchAccount: a new session in another of my accounts (the current one ends), then every query again. */
export function AccountSwitcher({ memberships, currentAccountId }: {
  readonly memberships: readonly Membership[];
  readonly currentAccountId: string;
}) {
  const { store } = useSession();
  const apollo = useApolloClient();
  const [switchAccount, { loading, error }] = useMutation(SwitchAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const others = memberships.filter((membership) => membership.account.id !== currentAccountId);
  if (others.length === 0) return null;

  const switchTo = async (accountId: string) => {
    const { data } = await switchAccount({ variables: { accountId } });
    if (!data) return;
    store.save(data.switchAccount);
    await apollo.resetStore();
  };

  return (
    <div className="switcher">
      {others.map((membership) => (
        <button key={membership.account.id} type="button" disabled={loading} onClick={() => switchTo(membership.account.id).catch(() => undefined)}>
          Switch to {membership.account.name}
        </button>
      ))}
      <ErrorMessage error={error} />
    </div>
  );
}
