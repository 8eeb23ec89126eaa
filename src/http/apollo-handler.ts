import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

type ExpressContextFunction<Context extends BaseContext> = ContextFunction<[{ req: Request; res: Response }], Context>;

/**
 * Apollo Server behind a connect-style handler: what @as-integrations/express5 does, minus what a
 * GraphQL response never needs and every request paid for there: `url.parse` of the whole URL (only the
 * query string is read), and `res.send`, which hashes each body for an ETag (these responses are
 * `no-store`) and sets the content type Apollo has already set. Failures go to `next`, as before.
 */
export function apolloHandler<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  context: ExpressContextFunction<Context>
): RequestHandler {
  apollo.assertStarted('apolloHandler()');
  return (req, res, next) => {
    const headers = new HeaderMap();
    for (const name in req.headers) {
      const value = req.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryStart = req.url.indexOf('?');
    apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method.toUpperCase(),
          headers,
          search: queryStart === -1 ? '' : req.url.slice(queryStart),
          body: req.body,
        },
        context: () => context({ req, res }),
      })
      .then(async (response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch(next);
  };
}
