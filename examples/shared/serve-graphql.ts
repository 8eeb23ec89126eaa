import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import express from 'express';

export interface ServedGraphql {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Serves an Apollo Server on POST /graphql with GET /healthz (for docker-compose health checks),
 * stopping cleanly on SIGTERM. Shared by the example gateway and the example reviews subgraph.
 */
export async function serveGraphql<Context extends BaseContext>(
  options: ApolloServerOptions<Context>,
  context: (argument: ExpressContextFunctionArgument) => Promise<Context>,
  port: number,
): Promise<ServedGraphql> {
  const app = express();
  const httpServer = http.createServer(app);
  const plugins = [
    ...(options.plugins ?? []),
    ApolloServerPluginDrainHttpServer({ httpServer }),
    // Execution traces are for Apollo Studio, which these examples do not report to.
    ApolloServerPluginInlineTraceDisabled(),
  ];
  const server = new ApolloServer<Context>({ ...options, plugins } as ApolloServerOptions<Context>);
  await server.start();
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(server, { context }));
  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const address = httpServer.address();
  return { port: typeof address === 'object' && address ? address.port : port, stop: () => server.stop() };
}

/** Runs an example's main(): stop on SIGTERM/SIGINT, exit 1 with the error if it cannot start. */
export function runExample(main: () => Promise<ServedGraphql>): void {
  main().then(
    (served) => {
      const stop = () => void served.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
