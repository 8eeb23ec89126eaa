import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { withRequestLogFields } from '../logger';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * What an incoming id may look like to be kept: short, and of characters that cannot break a log line or a
 * header (no spaces, quotes, newlines or escapes), which covers UUIDs, ULIDs and the ids proxies and load
 * balancers make. The id is for correlation only, never for a decision, so a caller choosing its own is harmless.
 */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when it is acceptable; a new UUID otherwise (absent, too long, or a hostile value). */
export function requestIdFor(incoming: string | undefined): string {
  return incoming !== undefined && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * First of all middleware: each request gets an id (a proxy's X-Request-Id, or a new one), every response
 * carries it back in X-Request-Id (GraphQL, health checks, errors), and every log line written while
 * handling the request carries it as `requestId`.
 */
export function assignRequestId(): RequestHandler {
  return (request, response, next) => {
    const requestId = requestIdFor(request.get(REQUEST_ID_HEADER));
    response.setHeader(REQUEST_ID_HEADER, requestId);
    withRequestLogFields({ requestId }, next);
  };
}
