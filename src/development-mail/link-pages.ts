import path from 'node:path';
import { Router } from 'express';
import type { Config } from '../config/config';

/** The pages' one script, a file of its own: the pages' Content-Security-Policy then needs no inline script. */
export const LINK_PAGES_SCRIPT_PATH = '/dev/link-pages.js';
const SCRIPT_FILE = path.join(__dirname, 'link-pages.browser.js');

/**
 * Own origin only: the script from this server, requests to its /graphql. No inline script or style,
 * no framing (a password field), no form posting anywhere: the script sends the form itself.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Gatehouse (development)</title>
<script src="${LINK_PAGES_SCRIPT_PATH}" defer></script>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
<p id="status" role="status"></p>
<noscript><p>This page needs JavaScript: it completes the link through the GraphQL API.</p></noscript>
</main>
<hr>
<p><small>A development page of Gatehouse, served because PUBLIC_URL is left at its default. In production,
set PUBLIC_URL to your app, which handles these links.</small></p>
</body>
</html>
`;

/** The page of each mailed link's path (messages.ts); the script reads the token from the address itself. */
const PAGES: Readonly<Record<string, string>> = {
  '/verify-email': page('Email verification', '<p>Confirming your email address with the token in this link.</p>'),
  '/reset-password': page(
    'Choose a new password',
    `<form id="reset-password" hidden>
<p><label>New password <input type="password" name="newPassword" autocomplete="new-password" required></label></p>
<p><button type="submit">Set the new password</button></p>
</form>`,
  ),
  '/accept-invitation': page(
    'Invitation',
    `<p>Accepting joins the account as the person invited, so it needs them signed in with the invited address,
verified: your app calls this with their access token (in GraphQL Playground, at <a href="/graphql">/graphql</a>,
put <code>{ "Authorization": "Bearer …" }</code> under HTTP HEADERS):</p>
<pre id="accept-mutation"></pre>
<p>Declining needs nothing but this link.</p>
<p><button type="button" id="decline-invitation" hidden>Decline the invitation</button></p>`,
  ),
};

/**
 * Minimal pages where the default PUBLIC_URL's links land (`/verify-email`, `/reset-password`,
 * `/accept-invitation`), so a new developer's first mailed link leads somewhere. Each completes its
 * action through /graphql like any client. The token rides in the URL, so no cache keeps a page and no
 * Referer carries it on (Referrer-Policy is no-referrer on every response already; said again here).
 */
export function createLinkPages(): Router {
  const router = Router();
  for (const [pagePath, html] of Object.entries(PAGES)) {
    router.get(pagePath, (_request, response) => {
      response
        .set({
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          // Replaces the API's own policy (security-headers.ts), under which the page could run nothing.
          'content-security-policy': CONTENT_SECURITY_POLICY,
        })
        .send(html);
    });
  }
  router.get(LINK_PAGES_SCRIPT_PATH, (_request, response, next) => {
    response.sendFile(SCRIPT_FILE, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } }, (error) => {
      if (error && !response.headersSent) next(error);
    });
  });
  return router;
}

/**
 * Whether the mailed links lead to this server: PUBLIC_URL left at (or set to) its default,
 * http://localhost:<PORT>. Anywhere else, an app handles them and these pages would be unreachable.
 */
export function linksLeadHere(config: Pick<Config, 'publicUrl' | 'port'>): boolean {
  return config.publicUrl === `http://localhost:${config.port}`;
}
