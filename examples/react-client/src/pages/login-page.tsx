import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { AccountPicker } from '../components/account-picker';
import type { AccountSelection } from '../components/account-picker';
import { CredentialsForm } from '../components/credentials-form';
import { ErrorMessage } from '../components/error-message';
import { TwoFactorForm } from '../components/two-factor-form';
import { LoginDocument, SelectAccountDocument, VerifyTwoFactorDocument } from '../gql/graphql';
import type { LoginResultFieldsFragment } from '../gql/graphql';
import { useSession } from '../session/session-context';

type Step =
  | { readonly name: 'credentials' }
  | { readonly name: 'select-account'; readonly selection: AccountSelection }
  | { readonly name: 'two-factor'; readonly challengeToken: string };

/**
 * login → AuthPayload (signed in), or AccountSelectionRequired → selectAccount, or TwoFactorRequired →
 * verifyTwoFactor; each of those answers with the union again, so every step goes through `advance`.
 */
export function LoginPage({ onSignUp }: { readonly onSignUp: () => void }) {
  const { store } = useSession();
  const [step, setStep] = useState<Step>({ name: 'credentials' });
  const [login, loginState] = useMutation(LoginDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [selectAccount, selectState] = useMutation(SelectAccountDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [verifyTwoFactor, twoFactorState] = useMutation(VerifyTwoFactorDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const isBusy = loginState.loading || selectState.loading || twoFactorState.loading;

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
      {step.name === 'select-account' && (
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
      <ErrorMessage error={loginState.error ?? selectState.error ?? twoFactorState.error} />
    </>
  );
}
