import { useMutation } from '@apollo/client/react';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { ErrorMessage } from '../components/error-message';
import { NewAccountForm } from '../components/new-account-form';
import { CreateAccountDocument, SwitchAccountDocument } from '../gql/graphql';
import type { MeQuery } from '../gql/graphql';
import { useMoveToSession } from '../session/use-move-to-session';

type Membership = NonNullable<MeQuery['me']>['memberships'][number];

/**
 * switchAccount to another of my accounts, or createAccount to start a new one I own: either answers a
 * session there and ends the current one, so the tab moves to it and asks every query again.
 */
export function AccountSwitcher({ memberships, currentAccountId }: {
  readonly memberships: readonly Membership[];
  readonly currentAccountId: string;
}) {
  const moveToSession = useMoveToSession();
  const [switchAccount, switchState] = useMutation(SwitchAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [createAccount, createState] = useMutation(CreateAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const others = memberships.filter((membership) => membership.account.id !== currentAccountId);
  const isBusy = switchState.loading || createState.loading;

  const switchTo = async (accountId: string) => {
    const { data } = await switchAccount({ variables: { accountId } });
    if (data) await moveToSession(data.switchAccount);
  };
  // Resolves once the tab is in the new account, so the form empties only then; a failure is shown below.
  const create = async (name: string) => {
    const { data } = await createAccount({ variables: { input: { name } } });
    if (data) await moveToSession(data.createAccount);
  };
  // Failures are shown from each mutation's state; the rejected promise needs no other handling.
  const ignore = () => undefined;

  return (
    <div className="switcher">
      {others.map((membership) => (
        <button key={membership.account.id} type="button" disabled={isBusy} onClick={() => switchTo(membership.account.id).catch(ignore)}>
          Switch to {membership.account.name}
        </button>
      ))}
      <NewAccountForm isBusy={isBusy} onCreate={create} />
      <ErrorMessage error={switchState.error ?? createState.error} />
    </div>
  );
}
