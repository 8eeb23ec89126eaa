import { REQUEST_RESET, RESEND_VERIFICATION } from '../support/documents';
import { signUp, uniqueClientIp, uniqueEmail } from '../support/factories';
import { extensionsOf } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { nextTotpCode, startTwoFactorLogin, turnOnTwoFactor, verifyTwoFactor, wrongTotpCode } from '../support/two-factor';

/** The flows that send mail or check second-factor codes are limited end to end, over HTTP. */
const EMAIL_SEND_MAX = 2;
const TWO_FACTOR_MAX_FAILURES = 2;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    EMAIL_SEND_MAX: String(EMAIL_SEND_MAX),
    EMAIL_SEND_WINDOW_SECONDS: '600',
    TWO_FACTOR_MAX_FAILURES: String(TWO_FACTOR_MAX_FAILURES),
    TWO_FACTOR_LOCK_SECONDS: '600',
  });
});
afterAll(() => server.close());

describe('requestPasswordReset', () => {
  it.each([
    ['a registered address', async () => (await signUp(server)).email],
    ['an address nobody has', async () => uniqueEmail('nobody')],
  ])('refuses more requests for %s than configured, with RATE_LIMITED and retryAfter', async (_case, addressOf) => {
    const email = await addressOf();
    for (let sent = 0; sent < EMAIL_SEND_MAX; sent++) {
      const allowed = await server.graphql(REQUEST_RESET, { email }, { headers: { 'x-forwarded-for': uniqueClientIp() } });
      expect(allowed.data).toEqual({ requestPasswordReset: true });
    }
    const refused = await server.graphql(REQUEST_RESET, { email }, { headers: { 'x-forwarded-for': uniqueClientIp() } });
    expect(refused.status).toBe(200);
    expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });
});

describe('resendVerification', () => {
  it('sends no more verification mails than configured', async () => {
    const user = await signUp(server, { unverified: true });
    const ip = uniqueClientIp();
    for (let sent = 0; sent < EMAIL_SEND_MAX; sent++) {
      const allowed = await server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken, headers: { 'x-forwarded-for': ip } });
      expect(allowed.data).toEqual({ resendVerification: true });
    }
    const before = await server.prisma.outboxMessage.count({ where: { to: user.email } });
    const refused = await server.graphql(RESEND_VERIFICATION, {}, { token: user.accessToken, headers: { 'x-forwarded-for': ip } });
    expect(extensionsOf(refused)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED' });
    expect(await server.prisma.outboxMessage.count({ where: { to: user.email } })).toBe(before);
  });
});

describe('verifyTwoFactor', () => {
  it('locks the user after the configured wrong codes: even the right code is refused, and the lock is audited', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challenge = await startTwoFactorLogin(server, user);
    for (let failure = 0; failure < TWO_FACTOR_MAX_FAILURES; failure++) {
      const wrong = await verifyTwoFactor(server, challenge, await wrongTotpCode(server, secret));
      expect(extensionsOf(wrong)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
    }

    const right = await verifyTwoFactor(server, challenge, await nextTotpCode(server, secret));

    expect(extensionsOf(right)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(await server.prisma.session.count({ where: { userId: user.userId, revokedAt: null } })).toBe(1);
    expect(await server.prisma.authEvent.count({ where: { userId: user.userId, type: 'LOCKED_OUT' } })).toBe(1);
  });
});
