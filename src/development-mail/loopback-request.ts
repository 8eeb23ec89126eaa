import type { Request } from 'express';

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['localhost', '[::1]']);

const isLoopbackAddress = (address: string): boolean =>
  address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}

/**
 * A request made on this machine, to this machine by a loopback name. All three checks, because
 * HOST=0.0.0.0 (the default) also serves the network:
 *  - the connection comes from a loopback address (not someone on the LAN);
 *  - the client Express believes (TRUST_PROXY) is loopback too, so a local proxy does not pass on a remote one;
 *  - the raw Host header names localhost or a loopback address, so a web page whose domain an attacker
 *    re-points at 127.0.0.1 (DNS rebinding) cannot read the answer. X-Forwarded-Host is not consulted:
 *    such a page may set it.
 */
export function isFromThisMachine(request: Request): boolean {
  const hostname = hostnameOf(request.headers.host);
  return (
    isLoopbackAddress(request.socket.remoteAddress ?? '') &&
    isLoopbackAddress(request.ip ?? '') &&
    hostname !== null &&
    (LOOPBACK_HOSTNAMES.has(hostname) || isLoopbackAddress(hostname))
  );
}
