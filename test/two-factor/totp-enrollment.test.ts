import { createHash } from 'node:crypto';
import { CONFIRM_TOTP, DISABLE_TOTP, ENABLE_TOTP } from '../support/documents';
import { signUp } from '../support/factories';
import { userRow } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { logInWithPassword, nextTotpCode, totpCode, turnOnTwoFactor, wrongTotpCode } from '../support/two-factor';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const eventsOf = (userId: string, type: string) => server.prisma.authEvent.findMany({ where: { userId, type } });

describe('turning TOTP on', () => {
  it('answers a base32 secret and an otpauth URL for it, and keeps the secret pending, encrypted', async () => {
    const user = await signUp(server);

    const response = await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    const { secret, otpauthUrl } = response.data!.enableTotp;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Gatehouse');
    const row = await userRow(server, user.userId);
    expect(row).toMatchObject({ totpSecret: null, totpEnabledAt: null });
    expect(row.totpPendingSecret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row.totpPendingSecret).not.toContain(secret);
  });

  it('turns it on with a current code, returning ten distinct recovery codes kept only as keyed hashes', async () => {
    const user = await signUp(server);
    const setup = await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken });
    const secret: string = setup.data!.enableTotp.secret;

    const response = await server.graphql(CONFIRM_TOTP, { code: await totpCode(server, secret) }, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    const codes: string[] = response.data!.confirmTotp.codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);

    const row = await userRow(server, user.userId);
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpPendingSecret).toBeNull();
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(secret);
    const stored = await server.prisma.recoveryCode.findMany({ where: { userId: user.userId } });
    expect(stored).toHaveLength(10);
    const plainHashes = codes.flatMap((code) => [code, code.replace('-', '')]).map((code) => createHash('sha256').update(code).digest('base64url'));
    for (const { codeHash } of stored) {
      expect(codes.some((code) => codeHash.includes(code.replace('-', '')))).toBe(false);
      expect(plainHashes).not.toContain(codeHash);
    }
    expect(await eventsOf(user.userId, 'TWO_FACTOR_ENABLED')).toHaveLength(1);
  });

  it('refuses a wrong code with BAD_USER_INPUT INVALID_TWO_FACTOR_CODE and leaves 2FA off', async () => {
    const user = await signUp(server);
    const setup = await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken });

    const response = await server.graphql(
      CONFIRM_TOTP,
      { code: await wrongTotpCode(server, setup.data!.enableTotp.secret) },
      { token: user.accessToken },
    );

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TWO_FACTOR_CODE', field: 'code' });
    expect((await userRow(server, user.userId)).totpEnabledAt).toBeNull();
    expect(await server.prisma.recoveryCode.count({ where: { userId: user.userId } })).toBe(0);
    expect(await eventsOf(user.userId, 'TWO_FACTOR_FAILED')).toHaveLength(1);
  });

  it('needs the current password: a stolen access token alone cannot bind the account to another phone', async () => {
    const user = await signUp(server);

    const response = await server.graphql(ENABLE_TOTP, { currentPassword: 'Gh-not-the-password-1' }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(await userRow(server, user.userId)).toMatchObject({ totpPendingSecret: null, totpSecret: null, totpEnabledAt: null });
    expect(await server.prisma.authEvent.count({ where: { userId: user.userId, type: 'LOGIN_FAILED', reason: 'WRONG_CURRENT_PASSWORD' } })).toBe(1);
  });

  it('refuses confirmTotp before enableTotp with BAD_USER_INPUT TWO_FACTOR_NOT_ENABLED', async () => {
    const user = await signUp(server);

    const response = await server.graphql(CONFIRM_TOTP, { code: '123456' }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TWO_FACTOR_NOT_ENABLED' });
  });

  it('refuses enableTotp while 2FA is on with BAD_USER_INPUT TWO_FACTOR_ALREADY_ENABLED, keeping the secret', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const before = await userRow(server, user.userId);

    const response = await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TWO_FACTOR_ALREADY_ENABLED' });
    const after = await userRow(server, user.userId);
    expect(after.totpSecret).toBe(before.totpSecret);
    expect(after.totpPendingSecret).toBeNull();
  });

  it.each([
    ['enableTotp', ENABLE_TOTP, { currentPassword: 'Gh-some-password-1' }],
    ['confirmTotp', CONFIRM_TOTP, { code: '123456' }],
    ['disableTotp', DISABLE_TOTP, { code: '123456' }],
  ])('refuses %s without a signed-in user', async (_name, document, variables) => {
    const response = await server.graphql<unknown>(document, variables);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('turning TOTP off', () => {
  it('refuses a wrong code with BAD_USER_INPUT INVALID_TWO_FACTOR_CODE and keeps 2FA on', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    server.clock.advance(30);

    const response = await server.graphql(DISABLE_TOTP, { code: await wrongTotpCode(server, secret) }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TWO_FACTOR_CODE' });
    expect((await userRow(server, user.userId)).totpEnabledAt).not.toBeNull();
    expect(await server.prisma.recoveryCode.count({ where: { userId: user.userId } })).toBe(10);
  });

  it('refuses the very code that turned it on: each code is good once', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);

    const response = await server.graphql(DISABLE_TOTP, { code: await totpCode(server, secret) }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TWO_FACTOR_CODE' });
    expect((await userRow(server, user.userId)).totpEnabledAt).not.toBeNull();
  });

  it('turns it off with a current code: secret and recovery codes are gone and login no longer asks', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);

    const response = await server.graphql(DISABLE_TOTP, { code: await nextTotpCode(server, secret) }, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.disableTotp).toBe(true);
    expect(await userRow(server, user.userId)).toMatchObject({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null });
    expect(await server.prisma.recoveryCode.count({ where: { userId: user.userId } })).toBe(0);
    expect(await eventsOf(user.userId, 'TWO_FACTOR_DISABLED')).toHaveLength(1);
    const login = await logInWithPassword(server, user);
    expect(login.data!.login.__typename).toBe('AuthPayload');
  });

  it('turns it off with a recovery code, for a user who lost the authenticator', async () => {
    const user = await signUp(server);
    const { recoveryCodes } = await turnOnTwoFactor(server, user);

    const response = await server.graphql(DISABLE_TOTP, { code: recoveryCodes[3] }, { token: user.accessToken });

    expect(response.errors).toBeUndefined();
    expect((await userRow(server, user.userId)).totpEnabledAt).toBeNull();
    expect(await eventsOf(user.userId, 'RECOVERY_CODE_USED')).toHaveLength(1);
  });

  it('refuses disableTotp when 2FA is off with BAD_USER_INPUT TWO_FACTOR_NOT_ENABLED', async () => {
    const user = await signUp(server);

    const response = await server.graphql(DISABLE_TOTP, { code: '123456' }, { token: user.accessToken });

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TWO_FACTOR_NOT_ENABLED' });
  });
});

describe('the audit log', () => {
  it('records enabling, failures and disabling without the secret or any code', async () => {
    const user = await signUp(server);
    const { secret, recoveryCodes } = await turnOnTwoFactor(server, user);
    await server.graphql(DISABLE_TOTP, { code: await wrongTotpCode(server, secret) }, { token: user.accessToken });
    await server.graphql(DISABLE_TOTP, { code: await nextTotpCode(server, secret) }, { token: user.accessToken });

    const events = await server.prisma.authEvent.findMany({ where: { userId: user.userId } });

    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['TWO_FACTOR_ENABLED', 'TWO_FACTOR_FAILED', 'TWO_FACTOR_DISABLED']));
    const written = JSON.stringify(events);
    for (const secretValue of [secret, ...recoveryCodes]) expect(written).not.toContain(secretValue);
  });
});
