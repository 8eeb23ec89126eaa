import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { AccountPicker } from '../components/account-picker';
import type { AccountSelection } from '../components/account-picker';
import { CredentialsForm } from '../components/credentials-form';
import { ErrorMessage } from '../components/error-message';
import { NewAccountForm } from '../components/new-account-form';
import { TwoFactorForm } from '../components/two-factor-form';
import { CreateAccountDocument, LoginDocument, SelectAccountDocument, VerifyTwoFactorDocument } from '../gql/graphql';
import type { LoginResultFieldsFragment } from '../gql/graphql';
import { useSession } from '../session/session-context';

type Step =
  | { readonly name: 'credentials' }
  | { readonly name: 'select-account'; readonly selection: AccountSelection }
  | { readonly name: 'two-factor'; readonly challengeToken: string };

/**
 * login → AuthPayload (signed in), or AccountSelectionRequired → selectAccount, or TwoFactorRequired →
 * verifyTwoFactor; each of those answers with the union again, so every step goes through `advance`.
 * A user who belongs to no account any more gets an empty choice: createAccount with its selection
 * token starts one they own, and signs them in there.
 */
export function LoginPage({ onSignUp }: { readonly onSignUp: () => void }) {
  const { store } = useSession();
  const [step, setStep] = useState<Step>({ name: 'credentials' });
  const [login, loginState] = useMutation(LoginDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [selectAccount, selectState] = useMutation(SelectAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [verifyTwoFactor, twoFactorState] = useMutation(VerifyTwoFactorDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [createAccount, createState] = useMutation(CreateAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const isBusy = loginState.loading || selectState.loading || twoFactorState.loading || createState.loading;

  const advance = (result: LoginResultFieldsFragment | undefined) => {
    if (result?.__typename === 'AuthPayload') store.save(result);
    else if (result?.__typename === 'AccountSelectionRequired') setStep({ name: 'select-account', selection: result });
    else if (result?.__typename === 'TwoFactorRequired') setStep({ name: 'two-factor', challengeToken: result.challengeToken });
  };
  // Failures are shown from each mutation's state; the rejected promise needs no other handling.
  const ignore = () => undefined;

  return (
    <>
      {step.name === 'credentials' && (
        <CredentialsForm
          title="Log in"
          submitLabel="Log in"
          isNewPassword={false}
          isBusy={isBusy}
          onSubmit={(credentials) => login({ variables: { input: credentials } }).then(({ data }) => advance(data?.login), ignore)}
        >
          <p>
            No account yet?{' '}
            <button type="button" onClick={onSignUp}>
              Sign up
            </button>
          </p>
        </CredentialsForm>
      )}
      {step.name === 'select-account' && step.selection.accounts.length === 0 && (
        <section aria-label="Start an account">
          <h2>Start an account</h2>
          <p>You no longer belong to any account. Name a new one to continue; you will be its owner.</p>
          <NewAccountForm
            isBusy={isBusy}
            onCreate={(name) =>
              createAccount({ variables: { input: { name, selectionToken: step.selection.selectionToken } } }).then(({ data }) => {
                if (data) store.save(data.createAccount);
              })
            }
          />
        </section>
      )}
      {step.name === 'select-account' && step.selection.accounts.length > 0 && (
        <AccountPicker
          selection={step.selection}
          isBusy={isBusy}
          onPick={(accountId) =>
            selectAccount({ variables: { input: { selectionToken: step.selection.selectionToken, accountId } } }).then(
              ({ data }) => advance(data?.selectAccount),
              ignore,
            )
          }
        />
      )}
      {step.name === 'two-factor' && (
        <TwoFactorForm
          isBusy={isBusy}
          onSubmit={(code) =>
            verifyTwoFactor({ variables: { challengeToken: step.challengeToken, code } }).then(({ data }) => advance(data?.verifyTwoFactor), ignore)
          }
        />
      )}
      <ErrorMessage error={loginState.error ?? selectState.error ?? twoFactorState.error ?? createState.error} />
    </>
  );
}
