import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { ConfigError } from '../config/config-error';

/** The package whose prebuilt bundle the playground page loads, served from here instead of a CDN. */
export const PLAYGROUND_PACKAGE = 'graphql-playground-react';

/** Where the assets are served; renderPlaygroundPage's `cdnUrl`, so the page it writes points here. */
export const PLAYGROUND_ASSETS_PATH = '/playground';

/**
 * The files renderPlaygroundPage's markup loads, and nothing else: the package's build/ folder also
 * holds 17 MB of source maps and demo schemas that no page of ours needs.
 */
const PAGE_FILES: Readonly<Record<string, string>> = {
  'build/static/js/middleware.js': 'text/javascript; charset=utf-8',
  'build/static/css/index.css': 'text/css; charset=utf-8',
  'build/favicon.png': 'image/png',
};

const ONE_YEAR_MILLISECONDS = 365 * 24 * 60 * 60 * 1000;

export interface PlaygroundAsset {
  readonly file: string;
  readonly contentType: string;
}

export interface PlaygroundAssets {
  /** The installed version: part of every asset URL, so a new version is a new URL and caching can be forever. */
  readonly version: string;
  /** URL path under PLAYGROUND_ASSETS_PATH → file on disk. */
  readonly byUrlPath: ReadonlyMap<string, PlaygroundAsset>;
}

/**
 * Finds the installed bundle and checks every file the page needs is there, so an image built without
 * it stops at start-up with a message saying what to do, not with a blank page in someone's browser.
 */
export function locatePlaygroundAssets(
  resolvePackageJson: () => string = () => require.resolve(`${PLAYGROUND_PACKAGE}/package.json`),
): PlaygroundAssets {
  let packageJson: string;
  try {
    packageJson = resolvePackageJson();
  } catch {
    throw missingAssets(`${PLAYGROUND_PACKAGE} is not installed`);
  }
  const root = path.dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw missingAssets(`${packageJson} has no version`);

  const byUrlPath = new Map<string, PlaygroundAsset>();
  for (const [relativeFile, contentType] of Object.entries(PAGE_FILES)) {
    const file = path.join(root, relativeFile);
    if (!existsSync(file)) throw missingAssets(`${file} is missing`);
    byUrlPath.set(`/${PLAYGROUND_PACKAGE}@${version}/${relativeFile}`, { file, contentType });
  }
  return { version, byUrlPath };
}

function missingAssets(problem: string): ConfigError {
  return new ConfigError(
    `Invalid configuration:\n  PLAYGROUND_ENABLED: GraphQL Playground is on but its assets cannot be served (${problem}). ` +
      `Install ${PLAYGROUND_PACKAGE} (its package.json and build/ folder), or set PLAYGROUND_ENABLED=false.`,
  );
}

/** Serves exactly the page's files (mount at PLAYGROUND_ASSETS_PATH); any other path falls through to a 404. */
export function createPlaygroundAssetRouter(assets: PlaygroundAssets): Router {
  const router = Router();
  router.get('/{*path}', (request, response, next) => {
    const asset = assets.byUrlPath.get(request.path);
    if (!asset) {
      next();
      return;
    }
    response.sendFile(
      asset.file,
      {
        // Versioned URLs never change content: let browsers and proxies keep them.
        maxAge: ONE_YEAR_MILLISECONDS,
        immutable: true,
        // nosniff, like every response's, comes from security-headers.ts.
        headers: { 'content-type': asset.contentType },
      },
      (error) => {
        // A client that went away mid-download is not a server fault; anything before the headers is.
        if (error && !response.headersSent) next(error);
      },
    );
  });
  return router;
}
