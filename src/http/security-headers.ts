import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';

/** A year: what browsers' preload lists ask for, and long enough that a user is not re-exposed between visits. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Response headers for an API that answers JSON, set on every response (GraphQL, errors, health, JWKS).
 * helmet's defaults, except:
 *  - Content-Security-Policy: nothing may load or run in a response of ours, nor frame it. A JSON body is
 *    never a page; if a browser were ever talked into rendering one, it could do nothing. GraphQL
 *    Playground's page sets its own, narrower policy (playground-landing-page.ts), which replaces this one.
 *  - X-Frame-Options: DENY rather than SAMEORIGIN: no page of ours is meant to be framed, by us or anyone
 *    (the playground's headers editor holds bearer tokens).
 *  - Strict-Transport-Security only on requests that arrived over HTTPS as Express sees them (`req.secure`:
 *    TLS here, or a TLS proxy's X-Forwarded-Proto believed under TRUST_PROXY). Browsers ignore it over
 *    plain HTTP anyway, and pinning http://localhost in a developer's browser helps nobody. No
 *    includeSubDomains: whether every subdomain serves HTTPS is for the domain's owner to declare at the edge.
 * Cross-Origin-Resource-Policy: same-origin leaves the browser apps of CORS_ORIGINS alone: it applies to
 * no-cors loads (an <img> or <script> of another site), not to CORS requests.
 */
export function createSecurityHeaders(): RequestHandler[] {
  const hsts = strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
      },
      xFrameOptions: { action: 'deny' },
      strictTransportSecurity: false,
    }),
    (request, response, next) => (request.secure ? hsts(request, response, next) : next()),
  ];
}
