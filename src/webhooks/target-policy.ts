import { BlockList, isIP } from 'node:net';

/**
 * Where an account admin's endpoint may send the service's requests. Without this an admin could make
 * Gatehouse POST into its own network (a metadata service, a database's HTTP port, an admin panel on
 * loopback): server-side request forgery. Checked when the endpoint is registered and again on every
 * connection, with the addresses the name resolves to then (a name that resolved to a public address at
 * registration may resolve to 127.0.0.1 later: DNS rebinding).
 */
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, and IPv4-compatible addresses (::7f00:1 is 127.0.0.1 to some stacks)
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local or otherwise not a public host's. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE_RANGES.check(address, 'ipv4');
  if (family !== 6) return true;
  // ::ffff:127.0.0.1 and ::127.0.0.1 reach IPv4 hosts: judge the IPv4 address they carry.
  const embedded = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (embedded) return PRIVATE_RANGES.check(embedded, 'ipv4');
  return PRIVATE_RANGES.check(address, 'ipv6');
}

export interface TargetPolicy {
  readonly allowPrivateTargets: boolean;
  readonly requireHttps: boolean;
}

/** Why a URL may not be an account's endpoint, or null when it may (its name is resolved at each delivery). */
export function refuseEndpointUrl(text: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must be an https:// URL';
  // Credentials in the URL would be listed back to every admin and sent to the receiver in clear.
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (policy.allowPrivateTargets) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isPrivateAddress(host)) return 'must not point at a loopback, private or link-local address';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at a loopback, private or link-local address';
  return null;
}
