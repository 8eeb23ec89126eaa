import cors from 'cors';
import type { RequestHandler } from 'express';

/** What a GraphQL client sends besides the CORS-safelisted headers: the token, JSON, Apollo's own. */
const ALLOWED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

/** Browsers may cache a preflight this long, so a page does not pay two round trips per operation. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for /graphql, so a browser app on a listed origin can call the API. Credentials stay off:
 * tokens travel in the Authorization header, never in cookies, so no ambient authority is exposed to
 * another origin. An unlisted origin gets no Access-Control-Allow-Origin and the browser refuses it.
 * Null when no origin is listed: same-origin only, no CORS headers at all.
 */
export function createCorsMiddleware(origins: '*' | readonly string[]): RequestHandler | null {
  if (origins !== '*' && origins.length === 0) return null;
  return cors({
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
