import { ME, SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * What a load balancer reads from /readyz, and that a draining instance (SIGTERM, before
 * SHUTDOWN_DRAIN_SECONDS have passed) asks for no traffic while still serving all it gets.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('readiness', () => {
  it('is ready with its database up, then, once draining, answers /readyz 503 while serving every other request', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ok', database: 'up' } });

    server.app.beginDraining();

    const draining = await fetch(`${server.url}/readyz`);
    expect({ status: draining.status, body: await draining.json() }).toEqual({ status: 503, body: { status: 'draining' } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // New requests, a write among them, are still served in full: the balancer has not taken the instance out yet.
    const signedUp = await server.graphql(SIGN_UP, { input: { email: uniqueEmail('draining'), password: strongPassword() } });
    expect(signedUp.errors).toBeUndefined();
    const me = await server.graphql(ME, {}, { token: signedUp.data!.signUp.accessToken });
    expect(me.data).toEqual({ me: { id: signedUp.data!.signUp.user.id, email: signedUp.data!.signUp.user.email } });
  });
});
