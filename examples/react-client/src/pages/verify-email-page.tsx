import { useApolloClient, useMutation } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../components/error-message';
import { VerifyEmailDocument } from '../gql/graphql';
import { navigate } from '../routing';
import { useSession } from '../session/session-context';

/**
 * Where the mailed link lands: <PUBLIC_URL>/verify-email?token=…. Verifying needs no session (the
 * link is the proof). When this tab is signed in, its tokens still carry the role from before
 * verification, so it refreshes them to pick up the new one.
 */
export function VerifyEmailPage() {
  const { store, refresher } = useSession();
  const apollo = useApolloClient();
  const [verifyEmail, { data, loading, error }] = useMutation(VerifyEmailDocument);
  // A link works once: StrictMode's second effect run must not spend it again.
  const hasStarted = useRef(false);

  useEffect(() => {
    if (hasStarted.current) return;
    hasStarted.current = true;
    const token = new URLSearchParams(window.location.search).get('token') ?? '';
    const refreshIfSignedIn = async () => {
      if (!store.hasSession()) return;
      await refresher.replace(store.currentAccessToken);
      await apollo.resetStore();
    };
    // A failed verification is shown from the mutation's state; a refused refresh has emptied the store.
    verifyEmail({ variables: { token } }).then(refreshIfSignedIn).catch(() => undefined);
  }, [verifyEmail, store, refresher, apollo]);

  return (
    <section aria-label="Email verification">
      <h2>Email verification</h2>
      {loading && <p>Verifying…</p>}
      {data && <p>Your email address {data.verifyEmail.email} is verified.</p>}
      <ErrorMessage error={error} />
      <button type="button" onClick={() => navigate('/')}>
        Continue
      </button>
    </section>
  );
}
