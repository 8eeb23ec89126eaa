import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StaticSite {
  /** e.g. http://127.0.0.1:41234: what the browser sends as Origin, and what CORS_ORIGINS must list. */
  readonly origin: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The file under `root` a request path names, or null (outside root, or not a file). */
function fileFor(root: string, requestPath: string): string | null {
  const file = path.join(root, decodeURIComponent(requestPath));
  if (!file.startsWith(root + path.sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves a built single-page app from `root` on its own port (so on another origin than the API):
 * its files, and index.html for any other path, such as the mailed /verify-email link.
 */
export function serveStaticSite(root: string): Promise<StaticSite> {
  const server = http.createServer((request, response) => {
    const requestPath = new URL(request.url ?? '/', 'http://site').pathname;
    const file = fileFor(root, requestPath) ?? path.join(root, 'index.html');
    response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((closed) => {
            server.close(() => closed());
            // The browser keeps connections alive; close() alone would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
