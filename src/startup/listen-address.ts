import net from 'node:net';

/** Where the service listens (HOST, PORT), and what stops it from listening there. */

/** The address cannot be listened on; the message names the cause, HOST and PORT. */
export class ListenAddressError extends Error {
  override readonly name = 'ListenAddressError';
}

/**
 * Fails unless HOST:PORT can be listened on now. Run before the database is opened and migrated, so a
 * port already in use stops start-up at once instead of after the migrations. Another process may
 * still take the port in between; listening then fails with the same message (asListenAddressError).
 * Port 0 (any free port) always passes.
 */
export async function checkListenAddress(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(asListenAddressError(error, host, port)));
    probe.listen({ host, port }, () => probe.close(() => resolve()));
  });
}

/** A listen failure the operator can fix as a ListenAddressError; anything else unchanged. */
export function asListenAddressError(error: unknown, host: string, port: number): unknown {
  const cause = LISTEN_FAILURES[(error as NodeJS.ErrnoException).code ?? ''];
  if (cause === undefined) return error;
  return new ListenAddressError(`Cannot listen on ${hostPort(host, port)} (HOST=${host}, PORT=${port}): ${cause(port)}`);
}

const LISTEN_FAILURES: Readonly<Record<string, (port: number) => string>> = {
  EADDRINUSE: (port) => `the port is in use by another process (ss -ltnp 'sport = :${port}' shows which); stop it, or set PORT to a free port.`,
  EACCES: () => 'permission denied (ports below 1024 need privileges); set PORT to 1024 or above.',
  EADDRNOTAVAIL: () => 'HOST is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0 for all of them.',
  ENOTFOUND: () => 'HOST does not resolve to an address; set HOST to an address of this machine, or 0.0.0.0 for all of them.',
  EAI_AGAIN: () => 'HOST could not be resolved (DNS did not answer); set HOST to an address of this machine.',
};

/**
 * The URL a person on this machine opens: a wildcard HOST (0.0.0.0, ::) listens on every address,
 * and localhost is one of them; any other HOST is where the service is reachable, so it is kept.
 */
export function localUrl(host: string, port: number, pathname: string): string {
  const isWildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  return `http://${hostPort(isWildcard ? 'localhost' : host, port)}${pathname}`;
}

const hostPort = (host: string, port: number) => (net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);
