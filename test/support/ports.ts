import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A loopback port nothing listens on (it was free a moment ago): a database or service that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A free loopback port below the kernel's ephemeral range, for a service that must come back on the same
 * port after a restart: outgoing connections take their local ports from that range, so none can take
 * this one while it is free between the stop and the start.
 */
export async function restartablePort(): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const highest = Math.min(ephemeralLow ?? 32_768, 65_536) - 1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (highest - 10_000));
    if (await isFree(port)) return port;
  }
  throw new Error('no free loopback port below the ephemeral range');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
