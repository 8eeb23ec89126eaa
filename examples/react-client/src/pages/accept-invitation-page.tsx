import type { ApolloClient } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { errorReasons, InvitationReason } from '../apollo/gatehouse-errors';
import { KEEP_TOKENS_OUT_OF_CACHE } from '../apollo/keep-tokens-out-of-cache';
import { CredentialsForm } from '../components/credentials-form';
import { ErrorMessage } from '../components/error-message';
import { InvitationSummary } from '../components/invitation-summary';
import {
  AcceptInvitationDocument,
  DeclineInvitationDocument,
  EndSessionDocument,
  InvitationPreviewDocument,
  LogoutDocument,
  MeDocument,
  SignUpDocument,
} from '../gql/graphql';
import { navigate } from '../routing';
import { useHasSession, useSession } from '../session/session-context';
import { LoginPage } from './login-page';

/**
 * Where the mailed invitation lands: <PUBLIC_URL>/accept-invitation?token=ghi_…. The preview needs no
 * session. Signed in, the user accepts or declines; signed out, they sign up with the token (a new
 * user, verified by the link itself, in the inviting account only) or log in and then accept.
 * Joining answers a session in the inviting account, which the tab moves to.
 */
export function AcceptInvitationPage() {
  const [token] = useState(() => new URLSearchParams(window.location.search).get('token') ?? '');
  const hasSession = useHasSession();
  // Always from the server: whether it is still open is what the page decides on.
  const preview = useQuery(InvitationPreviewDocument, { variables: { token }, fetchPolicy: 'network-only' });
  const [decline, declineState] = useMutation(DeclineInvitationDocument);
  const invitation = preview.data?.invitation;
  const isOpen = invitation?.status === 'PENDING';

  const declineIt = () => decline({ variables: { token } }).then(() => preview.refetch(), () => undefined);

  return (
    <section aria-label="Invitation">
      <h2>Invitation</h2>
      {preview.loading && <p>Reading the invitation…</p>}
      {preview.data && !invitation && (
        <p className="error" role="alert">
          This invitation link is not valid. Ask for a new one.
        </p>
      )}
      {invitation && <InvitationSummary invitation={invitation} />}
      {isOpen && (hasSession ? <AnswerSignedIn token={token} /> : <AnswerSignedOut token={token} />)}
      {isOpen && (
        <p>
          Not for you?{' '}
          <button type="button" onClick={declineIt} disabled={declineState.loading}>
            Decline
          </button>
        </p>
      )}
      <ErrorMessage error={preview.error ?? declineState.error} />
      {!isOpen && preview.data && (
        <button type="button" onClick={() => navigate('/', { replace: true })}>
          Continue
        </button>
      )}
    </section>
  );
}

/** Shown beside a refusal that the person can fix by using the right address. */
function EmailMismatchHint({ error, isSignedIn }: { readonly error: unknown; readonly isSignedIn: boolean }) {
  if (!errorReasons(error).includes(InvitationReason.INVITATION_EMAIL_MISMATCH)) return null;
  return (
    <p className="notice">
      {isSignedIn
        ? 'This invitation was sent to another address: log out, then sign up or log in with the address it was sent to.'
        : 'Sign up with the address the invitation was sent to.'}
    </p>
  );
}

/**
 * acceptInvitation as the signed-in user (their verified address must be the invited one). The
 * server keeps the session the tab had and answers a new one in the inviting account; the tab holds
 * one session, so it moves to the new one and ends the old, which would otherwise stay live unused.
 */
function AnswerSignedIn({ token }: { readonly token: string }) {
  const { store } = useSession();
  const apollo = useApolloClient();
  const me = useQuery(MeDocument);
  const [accept, acceptState] = useMutation(AcceptInvitationDocument, KEEP_TOKENS_OUT_OF_CACHE);
  const [endSession] = useMutation(EndSessionDocument);
  const [logout, logoutState] = useMutation(LogoutDocument);

  const acceptIt = async () => {
    const { data } = await accept({ variables: { token } });
    if (!data) return;
    const leftBehind = store.currentRefreshToken;
    store.save(data.acceptInvitation);
    // By its refresh token and without the new access token: logout with a bearer would end the new session too.
    if (leftBehind) await endSession({ variables: { refreshToken: leftBehind }, context: { skipsAuthorization: true } }).catch(() => undefined);
    await enterAccount(apollo);
  };
  // Signed in as someone else than the invited person: out, and this page offers sign-up and login instead.
  const logOut = () => logout().then(() => store.clear(), () => undefined);

  const user = me.data?.me;
  return (
    <div className="answer">
      {user && (
        <p>
          Signed in as <span data-testid="invitation-viewer">{user.email}</span>.
          {!user.emailVerified && ' Verify this address first: only a verified address can accept.'}{' '}
          <button type="button" onClick={logOut} disabled={logoutState.loading}>
            Log out
          </button>
        </p>
      )}
      <button type="button" onClick={() => acceptIt().catch(() => undefined)} disabled={acceptState.loading}>
        Accept invitation
      </button>
      <ErrorMessage error={acceptState.error ?? logoutState.error} />
      <EmailMismatchHint error={acceptState.error} isSignedIn />
    </div>
  );
}

/**
 * Signed out: sign up with the token (the address typed must be the invited one; the link proves it,
 * so the new user starts verified), or log in, after which the page offers to accept.
 */
function AnswerSignedOut({ token }: { readonly token: string }) {
  const { store } = useSession();
  const apollo = useApolloClient();
  const [isLoggingIn, setLoggingIn] = useState(false);
  const [signUp, signUpState] = useMutation(SignUpDocument, KEEP_TOKENS_OUT_OF_CACHE);

  if (isLoggingIn) return <LoginPage onSignUp={() => setLoggingIn(false)} />;

  const signUpAndJoin = async (credentials: { email: string; password: string }) => {
    const { data } = await signUp({ variables: { input: { ...credentials, inviteToken: token } } });
    if (!data) return;
    store.save(data.signUp);
    await enterAccount(apollo);
  };

  return (
    <>
      <CredentialsForm
        title="Sign up to join"
        submitLabel="Sign up and join"
        isNewPassword
        isBusy={signUpState.loading}
        onSubmit={(credentials) => signUpAndJoin(credentials).catch(() => undefined)}
      >
        <p>
          Already have a Gatehouse login?{' '}
          <button type="button" onClick={() => setLoggingIn(true)}>
            Log in to accept
          </button>
        </p>
      </CredentialsForm>
      <ErrorMessage error={signUpState.error} />
      <EmailMismatchHint error={signUpState.error} isSignedIn={false} />
    </>
  );
}

/**
 * To the signed-in page, in the account just joined. The cache is emptied first: anything it holds
 * (the previous session's account, or the invitation as it was) belongs to before. The link is spent,
 * so it leaves the history.
 */
async function enterAccount(apollo: ApolloClient): Promise<void> {
  await apollo.clearStore();
  navigate('/', { replace: true });
}
