import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

const TYPE_DEFS = 'type Query { ok: Boolean }';

export interface BareApollo {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The ceiling of figure 1b (issue 15): Apollo Server 5 on Express 5, as its Express integration's
 * documentation mounts it (`express.json()`, then `expressMiddleware`), serving `{ __typename }` from a
 * one-field schema. No auth, no database, no plugins: what every GraphQL request on this stack costs at
 * the least (HTTP, Express, JSON, graphql-js, Apollo's request pipeline).
 */
export async function startBareApolloOnExpress(): Promise<BareApollo> {
  const server = new ApolloServer({ typeDefs: TYPE_DEFS });
  await server.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(server));
  const httpServer = http.createServer(app);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    stop: async () => {
      await server.stop();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** Figure 1c's ceiling, reported without a target: Apollo Server 5's own standalone server, without Express. */
export async function startStandaloneApollo(): Promise<BareApollo> {
  const server = new ApolloServer({ typeDefs: TYPE_DEFS });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { port: Number(new URL(url).port), stop: () => server.stop() };
}
