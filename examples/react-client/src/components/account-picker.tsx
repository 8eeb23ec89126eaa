import type { LoginResultFieldsFragment } from '../gql/graphql';

export type AccountSelection = Extract<LoginResultFieldsFragment, { __typename: 'AccountSelectionRequired' }>;

/** The AccountSelectionRequired step: one button per account, the last one used marked. */
export function AccountPicker({ selection, onPick, isBusy }: {
  readonly selection: AccountSelection;
  readonly onPick: (accountId: string) => void;
  readonly isBusy: boolean;
}) {
  return (
    <section aria-label="Choose an account">
      <h2>Choose an account</h2>
      <ul className="accounts">
        {selection.accounts.map((account) => (
          <li key={account.id}>
            <button type="button" disabled={isBusy} onClick={() => onPick(account.id)}>
              {account.name}
            </button>
            {account.role}
            {account.id === selection.lastAccountId ? ' · last used' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
