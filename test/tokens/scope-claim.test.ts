import { CURRENT_ACCESS, SET_ROLE } from '../support/documents';
import { addMember, loginTo, memberOfTwoAccounts, signUp } from '../support/factories';
import { presentRefreshToken } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** The scope a federated router would derive from what the API reports of the session: feature:op for each granted op. */
async function scopeReportedBy(accessToken: string): Promise<string[]> {
  const response = await server.graphql(CURRENT_ACCESS, {}, { token: accessToken });
  const access = response.data!.currentSession!.access;
  return access.flatMap(({ feature, access: operations }) => [...operations].map((operation) => `${feature}:${operation}`)).sort();
}

const scopeOf = (accessToken: string) => decodeJwtPayload(accessToken).scope;

describe('the scope claim of an access token', () => {
  it("lists an owner's permissions as feature:operation strings, sorted by feature then c r u d", async () => {
    const owner = await signUp(server);

    expect(scopeOf(owner.accessToken)).toBe(
      'account:c account:r account:u account:d audit:r invitations:c invitations:r invitations:u invitations:d members:c members:r members:u members:d roles:c roles:r roles:u roles:d webhooks:c webhooks:r webhooks:d',
    );
    expect(String(scopeOf(owner.accessToken)).split(' ').sort()).toEqual(await scopeReportedBy(owner.accessToken));
  });

  it("holds exactly a member's permissions in the session's account", async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'member');

    const session = await loginTo(server, member, owner.accountId);

    expect(session.role).toBe('member');
    expect(scopeOf(session.accessToken)).toBe('members:r');
    expect(String(scopeOf(session.accessToken)).split(' ')).toEqual(await scopeReportedBy(session.accessToken));
  });

  it('is left out when the role grants nothing (RFC 6749 has no empty scope)', async () => {
    const owner = await signUp(server);
    const guest = await signUp(server);
    await addMember(server, owner, guest, 'guest');

    const session = await loginTo(server, guest, owner.accountId);

    expect(session.role).toBe('guest');
    expect(decodeJwtPayload(session.accessToken)).not.toHaveProperty('scope');
  });

  it('follows a role change at the next refresh', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'member');
    const session = await loginTo(server, member, owner.accountId);
    const promoted = await server.graphql(
      SET_ROLE,
      { input: { accountId: owner.accountId, userId: member.userId, role: 'admin' } },
      { token: owner.accessToken },
    );
    expect(promoted.errors).toBeUndefined();

    const refreshed = await presentRefreshToken(server, session.refreshToken);

    expect(refreshed.data!.refreshToken.role).toBe('admin');
    expect(scopeOf(refreshed.data!.refreshToken.accessToken)).toBe('account:r account:u audit:r invitations:c invitations:r invitations:u invitations:d members:c members:r members:u members:d roles:c roles:r roles:u roles:d webhooks:c webhooks:r webhooks:d');
  });
});
