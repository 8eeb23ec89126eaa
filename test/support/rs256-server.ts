import { signUp } from './factories';
import type { SignedUpUser } from './factories';
import { generateRsaKeyPair, thumbprintOf } from './signing-keys';
import type { PemKeyPair } from './signing-keys';
import { startTestServer } from './test-server';
import type { TestServer } from './test-server';

/** A server signing RS256 with a key made for the test, and a signed-up user: the target of forged tokens. */
export interface Rs256Server {
  readonly server: TestServer;
  readonly keyPair: PemKeyPair;
  /** The key's RFC 7638 thumbprint: the kid its tokens carry. */
  readonly kid: string;
  readonly user: SignedUpUser;
}

export async function startRs256Server(environment: Record<string, string> = {}): Promise<Rs256Server> {
  const keyPair = generateRsaKeyPair();
  const kid = await thumbprintOf(keyPair.publicKey);
  const server = await startTestServer({ ...environment, JWT_PRIVATE_KEY: keyPair.privateKey });
  return { server, keyPair, kid, user: await signUp(server) };
}
