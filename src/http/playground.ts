import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Router } from 'express';
import { createPlaygroundAssetRouter, locatePlaygroundAssets, PLAYGROUND_ASSETS_PATH } from './playground-assets';
import { createPlaygroundLandingPage } from './playground-landing-page';

export interface Playground {
  /** Replaces Apollo's default landing page (Apollo Sandbox, loaded from a CDN) either way. */
  readonly landingPagePlugin: ApolloServerPlugin;
  /** The page's headers and assets; mount before the GraphQL endpoint. Empty when the playground is off. */
  readonly router: Router;
}

/**
 * GraphQL Playground at GET `endpoint` for browsers, or no landing page at all: then a browser
 * gets the same JSON answer as any other GET without a query.
 */
export function createPlayground(isEnabled: boolean, endpoint: string): Playground {
  const router = Router();
  if (!isEnabled) return { landingPagePlugin: ApolloServerPluginLandingPageDisabled(), router };

  const assets = locatePlaygroundAssets();
  const landingPage = createPlaygroundLandingPage(assets, endpoint);
  router.get(endpoint, landingPage.setPageHeaders);
  router.use(PLAYGROUND_ASSETS_PATH, createPlaygroundAssetRouter(assets));
  return { landingPagePlugin: landingPage.plugin, router };
}
