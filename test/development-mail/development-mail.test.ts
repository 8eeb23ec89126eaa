import { mailedLink, mailedToken, signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** The secret half of a mailed token: what must never reach a log outside development. */
const secretOf = (token: string): string => token.split('.')[1]!;

describe('development mail, in development with nothing configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => server.close());

  it('logs each outbox message with its links, so the developer can open them from the log', async () => {
    const user = await signUp(server, { unverified: true });

    const link = await mailedLink(server, user.email, 'verify-email');

    expect(link.startsWith(`http://localhost:${server.config.port}/verify-email?token=ghv_`)).toBe(true);
    const line = server.logs.find((entry) => entry.includes(user.email) && entry.includes('outbox'));
    expect(line).toContain(link);
  });
});

describe.each(['test', 'production'])('development mail, with NODE_ENV=%s', (environment) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: environment });
  });
  afterAll(() => server.close());

  it('logs an outbox message by recipient and subject only, never its link', async () => {
    const user = await signUp(server, { unverified: true });

    const token = await mailedToken(server, user.email, 'verify-email');

    expect(server.logs.some((line) => line.includes(user.email) && line.includes('outbox'))).toBe(true);
    expect(server.logs.join('\n')).not.toContain(secretOf(token));
  });
});
