import { useQuery } from '@apollo/client/react';
import { ErrorMessage } from '../components/error-message';
import { MySessionsDocument } from '../gql/graphql';

/** mySessions: every live session of mine, on every client (needs a verified email). */
export function SessionList() {
  const { data, error } = useQuery(MySessionsDocument);
  return (
    <section aria-label="My sessions">
      <h2>My sessions</h2>
      <ul>
        {data?.mySessions.map((session) => (
          <li key={session.id}>
            {session.account.name} · last used {new Date(session.lastUsedAt).toLocaleString()}
            {session.current ? ' · this one' : ''}
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
    </section>
  );
}
