import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { AccountSwitcher } from '../components/account-switcher';
import { ErrorMessage } from '../components/error-message';
import { SessionList } from '../components/session-list';
import { CurrentSessionDocument, LogoutDocument, LogoutEverywhereDocument, MeDocument } from '../gql/graphql';
import { useSession } from '../session/session-context';

/** The signed-in page: who I am (`me`), where I am (`currentSession`), my sessions, switch, log out. */
export function HomePage() {
  const { store } = useSession();
  const apollo = useApolloClient();
  const me = useQuery(MeDocument);
  const currentSession = useQuery(CurrentSessionDocument);
  const [logout, logoutState] = useMutation(LogoutDocument);
  const [logoutEverywhere, logoutEverywhereState] = useMutation(LogoutEverywhereDocument);

  const user = me.data?.me;
  const session = currentSession.data?.currentSession;
  // Refetching every query on the page at once: with an expired token, all of them fail together.
  const reload = () => apollo.refetchQueries({ include: 'active' }).catch(() => undefined);
  const logOut = () => logout().then(() => store.clear(), () => undefined);
  const logOutEverywhere = () => logoutEverywhere().then(() => store.clear(), () => undefined);

  return (
    <>
      <section aria-label="Me">
        <h2>Me</h2>
        {user && (
          <dl>
            <dt>Email</dt>
            <dd data-testid="me-email">{user.email}</dd>
            <dt>Email verified</dt>
            <dd data-testid="me-email-verified">{user.emailVerified ? 'yes' : 'no'}</dd>
          </dl>
        )}
        <ErrorMessage error={me.error} />
      </section>
      {user && !user.emailVerified && (
        <section className="notice" aria-label="Verify your email">
          We sent a link to {user.email}. Open it to verify your address; until then you are a guest of your account.
        </section>
      )}
      <section aria-label="Current account">
        <h2>Current account</h2>
        {session && (
          <dl>
            <dt>Account</dt>
            <dd data-testid="current-account">{session.account.name}</dd>
            <dt>Role</dt>
            <dd data-testid="current-role">{session.role}</dd>
            <dt>Access</dt>
            <dd>{session.access.map((permission) => `${permission.feature}:${permission.access}`).join(' ') || 'none'}</dd>
            <dt>Session ends</dt>
            <dd>{new Date(session.expiresAt).toLocaleString()}</dd>
          </dl>
        )}
        <ErrorMessage error={currentSession.error} />
        {user?.emailVerified && session && <AccountSwitcher memberships={user.memberships} currentAccountId={session.account.id} />}
      </section>
      {user?.emailVerified && <SessionList />}
      <section aria-label="Actions">
        <button type="button" onClick={reload}>
          Reload
        </button>
        <button type="button" onClick={logOut} disabled={logoutState.loading}>
          Log out
        </button>
        <button type="button" onClick={logOutEverywhere} disabled={logoutEverywhereState.loading}>
          Sign out everywhere
        </button>
        <ErrorMessage error={logoutState.error ?? logoutEverywhereState.error} />
      </section>
    </>
  );
}
