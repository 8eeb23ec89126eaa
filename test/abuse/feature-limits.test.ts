import { signUp, uniqueEmail } from '../support/factories';
import { sleep } from '../support/sleep';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * The limits password reset, email verification and 2FA call (services.limits), exercised through the
 * running app's own instance: their GraphQL flows have tests of their own.
 */
const EMAIL_SEND_MAX = 2;
const TWO_FACTOR_MAX_FAILURES = 2;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    EMAIL_SEND_MAX: String(EMAIL_SEND_MAX),
    EMAIL_SEND_WINDOW_SECONDS: '600',
    TWO_FACTOR_MAX_FAILURES: String(TWO_FACTOR_MAX_FAILURES),
    TWO_FACTOR_LOCK_SECONDS: '1',
  });
});
afterAll(() => server.close());

const refusalOf = async (attempt: Promise<unknown>) => {
  try {
    await attempt;
    return null;
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions ?? { thrown: String(error) };
  }
};

describe('mail sending limits', () => {
  it('refuses more mails to one address than configured, whatever the IP and however the address is written', async () => {
    const { emailSend } = server.app.services.limits;
    const email = uniqueEmail('inbox');

    await emailSend.consume(email, '192.0.2.1');
    await emailSend.consume(email.toUpperCase(), '192.0.2.2');

    expect(await refusalOf(emailSend.consume(` ${email} `, '192.0.2.3'))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
  });

  it('refuses more mails from one IP than configured, to any addresses', async () => {
    const { emailSend } = server.app.services.limits;
    for (let sent = 0; sent < EMAIL_SEND_MAX; sent++) await emailSend.consume(uniqueEmail('spread'), '192.0.2.10');

    expect(await refusalOf(emailSend.consume(uniqueEmail('spread'), '192.0.2.10'))).toMatchObject({ reason: 'RATE_LIMITED' });
    expect(await refusalOf(emailSend.consume(uniqueEmail('spread'), '192.0.2.11'))).toBeNull();
  });

  it('treats an address nobody has exactly like a registered one', async () => {
    const { emailSend } = server.app.services.limits;
    const user = await signUp(server);
    const unknown = uniqueEmail('nobody');
    for (let sent = 0; sent < EMAIL_SEND_MAX; sent++) {
      await emailSend.consume(user.email, null);
      await emailSend.consume(unknown, null);
    }

    const known = await refusalOf(emailSend.consume(user.email, null));
    const nobody = await refusalOf(emailSend.consume(unknown, null));

    expect(Object.keys(nobody ?? {}).sort()).toEqual(Object.keys(known ?? {}).sort());
    expect(nobody).toMatchObject({ code: known?.code, reason: known?.reason });
  });
});

describe('second-factor attempts', () => {
  it('locks a user after the configured wrong codes, until the lock runs out', async () => {
    const { twoFactor } = server.app.services.limits;
    const user = await signUp(server);

    await twoFactor.check(user.userId);
    expect(await twoFactor.fail(user.userId)).toMatchObject({ isLocked: false });
    await twoFactor.check(user.userId);
    expect(await twoFactor.fail(user.userId)).toEqual({ isLocked: true, blockSeconds: 1 });

    expect(await refusalOf(twoFactor.check(user.userId))).toEqual({ code: 'UNAUTHENTICATED', reason: 'RATE_LIMITED', retryAfter: 1 });
    await sleep(1_100);
    expect(await refusalOf(twoFactor.check(user.userId))).toBeNull();
  });

  it('starts afresh after a right code', async () => {
    const { twoFactor } = server.app.services.limits;
    const user = await signUp(server);

    for (let round = 0; round < 3; round++) {
      await twoFactor.check(user.userId);
      expect(await twoFactor.fail(user.userId)).toMatchObject({ isLocked: false });
      await twoFactor.check(user.userId);
      await twoFactor.reset(user.userId);
    }
  });

  it('lets no more than the configured codes be tried at once', async () => {
    const { twoFactor } = server.app.services.limits;
    const user = await signUp(server);

    const checks = await Promise.all(Array.from({ length: 6 }, () => refusalOf(twoFactor.check(user.userId))));

    expect(checks.filter((refusal) => refusal === null)).toHaveLength(TWO_FACTOR_MAX_FAILURES);
  });
});
