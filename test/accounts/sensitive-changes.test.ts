import { DELETE_ACCOUNT } from '../support/account-lifecycle';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { nextTotpCode, turnOnTwoFactor, wrongTotpCode } from '../support/two-factor';

// The changes a hijacked session must not make alone take the current password in the same request,
// and a current second-factor code as well from a user who has 2FA on.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const deleteAccount = (user: SignedUpUser, confirmName: string, extra: { twoFactorCode?: string } = {}) =>
  server.graphql(DELETE_ACCOUNT, { input: { accountId: user.accountId, confirmName, currentPassword: user.password, ...extra } }, { token: user.accessToken });

describe('a sensitive change by a user with two-factor authentication on', () => {
  it('needs a current code besides the password: none, or a wrong one, changes nothing', async () => {
    const owner = await signUp(server, { accountName: 'Guarded By Codes' });
    const { secret } = await turnOnTwoFactor(server, owner);

    const withoutCode = await deleteAccount(owner, 'Guarded By Codes');
    const wrongCode = await deleteAccount(owner, 'Guarded By Codes', { twoFactorCode: await wrongTotpCode(server, secret) });

    expect(withoutCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'twoFactorCode', reason: 'TWO_FACTOR_CODE_REQUIRED' });
    expect(reasonIn(wrongCode)).toBe('INVALID_TWO_FACTOR_CODE');
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
    const failures = await server.prisma.authEvent.findMany({ where: { userId: owner.userId, type: 'TWO_FACTOR_FAILED' } });
    expect(failures.map((event) => event.details)).toEqual([{ during: 'SENSITIVE_CHANGE' }]);

    const withCode = await deleteAccount(owner, 'Guarded By Codes', { twoFactorCode: await nextTotpCode(server, secret) });
    expect(withCode.errors).toBeUndefined();
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(0);
  });

  it('takes a recovery code, once', async () => {
    const owner = await signUp(server, { accountName: 'Recovered' });
    const { recoveryCodes } = await turnOnTwoFactor(server, owner);
    await server.prisma.authEvent.deleteMany({ where: { userId: owner.userId, type: 'RECOVERY_CODE_USED' } });

    const deleted = await deleteAccount(owner, 'Recovered', { twoFactorCode: recoveryCodes[0]! });

    expect(deleted.errors).toBeUndefined();
    expect(await server.prisma.authEvent.count({ where: { userId: owner.userId, type: 'RECOVERY_CODE_USED' } })).toBe(1);
  });

  it('asks nothing more of a user without 2FA than the password', async () => {
    const owner = await signUp(server, { accountName: 'Plain Password' });

    expect((await deleteAccount(owner, 'Plain Password', { twoFactorCode: '000000' })).errors).toBeUndefined();
  });
});

describe('every sensitive change asks for the code', () => {
  it('changeEmail, deleteMyUser and transferOwnership refuse a 2FA user without one, and change nothing', async () => {
    const owner = await signUp(server, { accountName: 'Every Door Locked' });
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    await turnOnTwoFactor(server, owner);
    const password = { currentPassword: owner.password };

    const responses = await Promise.all([
      server.graphql(`mutation Change($input: ChangeEmailInput!) { changeEmail(input: $input) }`, { input: { newEmail: `moved.${Date.now()}@example.test`, ...password } }, { token: owner.accessToken }),
      server.graphql(`mutation Erase($input: DeleteMyUserInput!) { deleteMyUser(input: $input) }`, { input: password }, { token: owner.accessToken }),
      server.graphql(
        `mutation Hand($input: TransferOwnershipInput!) { transferOwnership(input: $input) { id } }`,
        { input: { accountId: owner.accountId, userId: member.userId, ...password } },
        { token: owner.accessToken },
      ),
    ]);

    for (const response of responses) expect(reasonIn(response)).toBe('TWO_FACTOR_CODE_REQUIRED');
    expect(await server.prisma.user.count({ where: { id: owner.userId, email: owner.email } })).toBe(1);
    expect(await server.prisma.emailToken.count({ where: { userId: owner.userId, purpose: 'CHANGE_EMAIL' } })).toBe(0);
    expect(await server.prisma.ownershipTransfer.count({ where: { accountId: owner.accountId } })).toBe(0);
  });
});

describe('deleting an account', () => {
  it('stays with owners even where an account role was given account:d', async () => {
    const owner = await signUp(server, { accountName: 'Owners Decide' });
    const deputy = await signUp(server);
    const created = await server.graphql(
      `mutation Create($input: CreateRoleInput!) { createRole(input: $input) { name } }`,
      { input: { accountId: owner.accountId, name: 'deputy', permissions: [{ feature: 'account', access: 'rud' }] } },
      { token: owner.accessToken },
    );
    expect(created.errors).toBeUndefined();
    await addMember(server, owner, deputy, 'deputy');
    const session = await loginTo(server, deputy, owner.accountId);

    const response = await deleteAccount({ ...deputy, ...session, accountId: owner.accountId }, 'Owners Decide');

    expect([codeIn(response), reasonIn(response)]).toEqual(['FORBIDDEN', 'MISSING_PERMISSION']);
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
  });
});
