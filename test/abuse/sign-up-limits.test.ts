import { SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const SIGN_UPS_PER_IP = 2;
const WINDOW_SECONDS = 3600;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SIGN_UP_IP_MAX: String(SIGN_UPS_PER_IP), SIGN_UP_IP_WINDOW_SECONDS: String(WINDOW_SECONDS) });
});
afterAll(() => server.close());

const signUpFrom = (ip: string, email = uniqueEmail(), password = strongPassword()) =>
  server.graphql(SIGN_UP, { input: { email, password } }, { headers: { 'x-forwarded-for': ip } });

describe('sign-up limit per IP', () => {
  it('refuses sign-ups from an IP beyond the configured number per window, creating no user', async () => {
    for (let signUp = 0; signUp < SIGN_UPS_PER_IP; signUp++) {
      expect((await signUpFrom('203.0.113.10')).errors).toBeUndefined();
    }
    const email = uniqueEmail('one-too-many');

    const refused = await signUpFrom('203.0.113.10', email);

    expect(refused.status).toBe(200);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(WINDOW_SECONDS - 60);
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(await server.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('counts each IP on its own', async () => {
    for (let signUp = 0; signUp < SIGN_UPS_PER_IP; signUp++) await signUpFrom('203.0.113.20');
    expect((await signUpFrom('203.0.113.20')).errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');

    const elsewhere = await signUpFrom('203.0.113.21');

    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data!.signUp.accessToken).toEqual(expect.any(String));
  });

  it('counts sign-ups the password policy refuses, so weak passwords cannot buy unlimited strength checks', async () => {
    for (let signUp = 0; signUp < SIGN_UPS_PER_IP; signUp++) {
      const weak = await signUpFrom('203.0.113.30', uniqueEmail(), 'passwordpassword');
      expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WEAK_PASSWORD' });
    }
    const email = uniqueEmail('strong-after-weak');

    const refused = await signUpFrom('203.0.113.30', email);

    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(await server.prisma.user.count({ where: { email } })).toBe(0);
  });
});
