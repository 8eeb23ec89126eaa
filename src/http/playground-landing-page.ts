import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { PLAYGROUND_ASSETS_PATH, PLAYGROUND_PACKAGE } from './playground-assets';
import type { PlaygroundAssets } from './playground-assets';

export interface PlaygroundLandingPage {
  /** Apollo's landing page at GET /graphql for browsers (Accept: text/html), in place of Apollo Sandbox. */
  readonly plugin: ApolloServerPlugin;
  /** Sets the page's security headers; mount before Apollo on GET /graphql. */
  readonly setPageHeaders: RequestHandler;
}

/** renderPlaygroundPage always links Google Fonts; the page falls back to local fonts without it. */
const GOOGLE_FONTS_LINK = /<link href="https:\/\/fonts\.googleapis\.com[^"]*" rel="stylesheet">/;
const EXTERNAL_REFERENCE = /(?:src|href)="(?:https?:)?\/\//;
const INLINE_SCRIPT = /<script type="text\/javascript">([\s\S]*?)<\/script>/g;

/**
 * GraphQL Playground, entirely from this server: its page loads only our own copy of the bundle, so it
 * works offline and no third party sees who uses it (or runs code next to their tokens).
 */
export function createPlaygroundLandingPage(assets: PlaygroundAssets, endpoint: string): PlaygroundLandingPage {
  // Rendered on the first GET of the endpoint (the page's, or a query's, whose answer gets the same header),
  // not at start-up: an instance nobody opens the page on never loads graphql-playground-html.
  let page: { readonly html: string; readonly contentSecurityPolicy: string } | undefined;
  const renderedPage = () => (page ??= renderPage(assets, endpoint));

  return {
    plugin: {
      async serverWillStart() {
        return {
          async renderLandingPage() {
            // A function, which Apollo calls per page request: a string would be rendered here, at start-up.
            return { html: async () => renderedPage().html };
          },
        };
      },
    },
    setPageHeaders: (_request, response, next) => {
      // Apollo gives a landing page no headers of its own; on a GET's JSON answer this changes nothing.
      // It replaces the API's own policy (security-headers.ts), which would let the page run nothing.
      response.setHeader('content-security-policy', renderedPage().contentSecurityPolicy);
      next();
    },
  };
}

function renderPage(assets: PlaygroundAssets, endpoint: string): { html: string; contentSecurityPolicy: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded on first use
  const { renderPlaygroundPage } = require('graphql-playground-html') as typeof import('graphql-playground-html');
  const html = renderPlaygroundPage({
    endpoint,
    cdnUrl: PLAYGROUND_ASSETS_PATH,
    version: assets.version,
    title: 'Gatehouse · GraphQL Playground',
    settings: {
      // A bearer-token API: cookies have nothing to add, so none are sent.
      'request.credentials': 'omit',
      // Playground re-fetches the schema every 2 s by default: an introspection request loop per open tab.
      'schema.polling.enable': false,
    },
  }).replace(GOOGLE_FONTS_LINK, '');
  if (EXTERNAL_REFERENCE.test(html)) {
    throw new Error(`The GraphQL Playground page references another origin; ${PLAYGROUND_PACKAGE} or graphql-playground-html changed.`);
  }
  return { html, contentSecurityPolicy: pageContentSecurityPolicy(html) };
}

/**
 * Own origin only, for scripts, styles, images and requests: the browser itself enforces "served from
 * here". The page's one inline script is allowed by its hash, not by 'unsafe-inline'; styles need
 * 'unsafe-inline' (the bundle's styled-components writes <style> elements). No framing: the headers
 * editor holds bearer tokens, so no other site may overlay it.
 */
function pageContentSecurityPolicy(html: string): string {
  const scriptHashes = [...html.matchAll(INLINE_SCRIPT)].map(([, script]) => `'sha256-${createHash('sha256').update(script!).digest('base64')}'`);
  if (scriptHashes.length === 0) throw new Error('The GraphQL Playground page has no inline start-up script; graphql-playground-html changed.');
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}
