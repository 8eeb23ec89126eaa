import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';

export const GRAPHQL_PATH = '/graphql';

/** POST /graphql exactly, with or without a query string; any other spelling still goes through Express. */
export function isGraphqlPost(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  const url = request.url ?? '';
  return url === GRAPHQL_PATH || (url.startsWith(GRAPHQL_PATH) && url.charCodeAt(GRAPHQL_PATH.length) === 63) /* ? */;
}

/**
 * Every GraphQL request is a POST to /graphql, and Express's router spent more CPU walking its layers to
 * reach it (matching each mounted path, rewriting `req.url` for each mount, a closure per layer) than
 * the request's own auth check costs (docs/performance.md, "What each change bought"). This
 * runs the very middleware the app mounts for that request, in the same order, as a plain list: the
 * request and response get Express's prototypes first, exactly as `app.handle` gives them, so `req.ip`,
 * `req.secure` and `req.get` honour the app's settings (TRUST_PROXY) and `res.status().json()` works in
 * the error handler. The first error skips to `onError`, as Express does.
 */
export function createGraphqlPostRoute(app: Express, handlers: readonly RequestHandler[], onError: ErrorRequestHandler) {
  return (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const request = incoming as Request;
    const response = outgoing as Response;
    // Changing a live object's prototype gives it a new hidden class and costs every access after it; a
    // server made with expressPrototypes has none to change.
    if (Object.getPrototypeOf(request) !== app.request) Object.setPrototypeOf(request, app.request);
    if (Object.getPrototypeOf(response) !== app.response) Object.setPrototypeOf(response, app.response);
    request.res = response;
    response.req = request;
    response.locals = Object.create(null) as Response['locals'];

    // What Express's final handler does when an error handler passes an error on with headers already sent.
    const abandon: NextFunction = () => request.socket.destroy();
    let index = 0;
    const next: NextFunction = (error?: unknown) => {
      if (error !== undefined && error !== null && error !== 'route' && error !== 'router') {
        onError(error, request, response, abandon);
        return;
      }
      const handler = handlers[index++];
      if (handler === undefined) return;
      try {
        // As Express 5 does: a handler's rejected promise is its failure.
        const result: unknown = handler(request, response, next);
        if (result instanceof Promise)
          result.catch((rejection: unknown) => next(rejection ?? new Error('a middleware rejected with a nullish value')));
      } catch (thrown) {
        next(thrown ?? new Error('a middleware threw a nullish value'));
      }
    };
    next();
  };
}

/**
 * Options for `http.createServer` whose requests and responses are born with the app's Express prototypes,
 * the ones `app.handle` and the direct route would otherwise set on each: Node builds them with
 * `new options.IncomingMessage(socket)` and `new options.ServerResponse(request, options)`.
 */
export function expressPrototypes(app: Express): Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    Reflect.apply(http.IncomingMessage, this, [socket]);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, request: IncomingMessage, options?: unknown): void {
    Reflect.apply(http.ServerResponse, this, [request, options]);
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as typeof http.IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof http.ServerResponse,
  };
}
