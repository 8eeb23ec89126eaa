import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { CredentialsForm } from '../components/credentials-form';
import { ErrorMessage } from '../components/error-message';
import { SignUpDocument } from '../gql/graphql';
import { useSession } from '../session/session-context';

/**
 * signUp signs the user in at once, as a guest of their new account; the mailed link (see
 * VerifyEmailPage) verifies the address and makes them its owner.
 */
export function SignUpPage({ onLogIn }: { readonly onLogIn: () => void }) {
  const { store } = useSession();
  const [accountName, setAccountName] = useState('');
  const [signUp, { loading, error }] = useMutation(SignUpDocument, KEEP_TOKENS_OUT_OF_CACHE);

  return (
    <>
      <CredentialsForm
        title="Sign up"
        submitLabel="Create account"
        isNewPassword
        isBusy={loading}
        onSubmit={(credentials) =>
          signUp({ variables: { input: { ...credentials, accountName: accountName.trim() || null } } }).then(
            ({ data }) => data && store.save(data.signUp),
            () => undefined,
          )
        }
      >
        <label>
          Account name (optional)
          <input name="accountName" value={accountName} onChange={(event) => setAccountName(event.target.value)} />
        </label>
        <p>
          Already signed up?{' '}
          <button type="button" onClick={onLogIn}>
            Log in
          </button>
        </p>
      </CredentialsForm>
      <ErrorMessage error={error} />
    </>
  );
}
