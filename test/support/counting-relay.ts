import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback relay in front of a server, keeping the body of every request it passes on. */
export interface CountingRelay {
  /** The relay's address, standing for the server's: `http://127.0.0.1:<port>` plus the path asked. */
  readonly url: string;
  /** Request bodies in the order received. */
  readonly received: readonly string[];
  close(): Promise<void>;
}

/** Headers that describe one hop of the connection, not the request: never relayed. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * What reached a server, seen from outside it: a test that says "refused before the subgraph was
 * asked" counts here, so the proof does not rest on the gateway's word.
 */
export async function startCountingRelay(target: string): Promise<CountingRelay> {
  const received: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push(body.toString('utf8'));
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        HOP_HEADERS.has(name) || value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
      );
      fetch(new URL(request.url ?? '/', target), { method: request.method, headers, body: request.method === 'GET' ? undefined : body })
        .then(async (upstream) => {
          response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          response.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A client's idle keep-alive connections would otherwise hold the close open.
        server.closeAllConnections();
      }),
  };
}
