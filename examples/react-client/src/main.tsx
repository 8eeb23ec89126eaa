import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createGatehouseClient } from './apollo/create-apollo-client';
import { watchSessionEvents } from './session/session-events';
import { SessionProvider } from './session/session-context';
import { TokenStore } from './session/token-store';

const graphqlUrl = import.meta.env.VITE_GRAPHQL_URL || '/graphql';
const store = new TokenStore(window.sessionStorage);
const { apollo, refresher } = createGatehouseClient(store, graphqlUrl);
// For the life of the page: a session ended elsewhere shows the login screen without waiting for a request.
watchSessionEvents(store, refresher, graphqlUrl);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={apollo}>
      <SessionProvider store={store} refresher={refresher}>
        <App />
      </SessionProvider>
    </ApolloProvider>
  </StrictMode>,
);
