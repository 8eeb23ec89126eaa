import { getNamedType, isObjectType } from 'graphql';
import { buildTypeGraphqlSchema } from '../../src/schema';
import { INVITE_MEMBER } from '../support/documents';
import type { Invitation } from '../support/documents';
import { signUp, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { mailedToken } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** What an invitation link shows to anyone holding it, and what the invited person sees signed in. */

interface Preview {
  accountName: string;
  inviterName: string;
  role: string;
  expiresAt: string;
  status: string;
}
const PREVIEW = typedDocument<{ invitation: Preview | null }>(`query Preview($token: String!) { invitation(token: $token) { accountName inviterName role expiresAt status } }`);
const MINE = typedDocument<{ myInvitations: (Pick<Invitation, 'id' | 'email' | 'role' | 'status'> & { account: { id: string; name: string } })[] }>(
  `{ myInvitations { id email role status account { id name } } }`,
);
const REVOKE = `mutation Revoke($id: ID!) { revokeInvitation(id: $id) }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const invite = async (by: SignedUpUser, email: string, role = 'member'): Promise<Invitation> => {
  const response = await server.graphql(INVITE_MEMBER, { input: { accountId: by.accountId, email, role } }, { token: by.accessToken });
  if (response.errors) throw new Error(`inviteMember failed: ${JSON.stringify(response.errors)}`);
  return response.data!.inviteMember;
};
const preview = (token: string) => server.graphql(PREVIEW, { token });

describe('previewing a link', () => {
  it("shows anyone holding the link the account, the inviter's username, role, expiry and status, and nothing else", async () => {
    const owner = await signUp(server, { accountName: 'Preview Foundry', username: `foundry${Date.now().toString(36)}` });
    const invitedEmail = uniqueEmail('previewed');
    const invitation = await invite(owner, invitedEmail, 'admin');
    const token = await mailedToken(server, invitedEmail, 'accept-invitation');

    const response = await server.post(JSON.stringify({ query: PREVIEW, variables: { token } }));
    const body = await response.text();

    expect(JSON.parse(body)).toEqual({
      data: { invitation: { accountName: 'Preview Foundry', inviterName: expect.stringMatching(/^foundry/), role: 'admin', expiresAt: invitation.expiresAt, status: 'PENDING' } },
    });
    for (const secret of [owner.email, invitedEmail, invitation.id, owner.accountId, owner.userId]) expect(body).not.toContain(secret);
  });

  it('offers exactly these five fields: no address and no id can be asked for', async () => {
    const type = (await buildTypeGraphqlSchema()).getType('InvitationPreview');

    expect(isObjectType(type) && Object.keys(type.getFields()).sort()).toEqual(['accountName', 'expiresAt', 'inviterName', 'role', 'status']);
    expect(isObjectType(type) && Object.values(type.getFields()).every((field) => isObjectType(getNamedType(field.type)) === false)).toBe(true);
  });

  it('names an inviter without a username "A member", never by email', async () => {
    const owner = await signUp(server);
    const email = uniqueEmail('no-username');
    await invite(owner, email);

    const response = await preview(await mailedToken(server, email, 'accept-invitation'));

    expect(response.data!.invitation!.inviterName).toBe('A member');
    expect(JSON.stringify(response)).not.toContain(owner.email);
  });

  it('answers null, not an error, for any link that is not genuine', async () => {
    const owner = await signUp(server);
    const email = uniqueEmail('forged');
    await invite(owner, email);
    const token = await mailedToken(server, email, 'accept-invitation');
    const forged = `${token.slice(0, -4)}AAAA`;

    for (const candidate of [forged, 'ghi_not-a-token', '', 'x'.repeat(5000), token.replace('ghi_', 'ghr_')]) {
      expect(await preview(candidate)).toMatchObject({ data: { invitation: null }, errors: undefined });
    }
  });
});

describe('myInvitations', () => {
  it('lists the pending invitations to the viewer\'s verified address from every account, and no others', async () => {
    const first = await signUp(server, { accountName: 'First Mill' });
    const second = await signUp(server, { accountName: 'Second Mill' });
    const person = await signUp(server);
    const bystander = await signUp(server);
    await invite(first, person.email, 'admin');
    const revoked = await invite(second, person.email);
    await server.graphql(REVOKE, { id: revoked.id }, { token: second.accessToken });
    const third = await signUp(server, { accountName: 'Third Mill' });
    await invite(third, person.email);

    const mine = await server.graphql(MINE, {}, { token: person.accessToken });

    expect(mine.errors).toBeUndefined();
    expect(mine.data!.myInvitations.map((invitation) => [invitation.account.name, invitation.status, invitation.email])).toEqual([
      ['Third Mill', 'PENDING', person.email],
      ['First Mill', 'PENDING', person.email],
    ]);
    expect((await server.graphql(MINE, {}, { token: bystander.accessToken })).data).toEqual({ myInvitations: [] });
  });

  it('is empty while the address is unverified, though invitations to it exist', async () => {
    const owner = await signUp(server);
    const person = await signUp(server, { unverified: true });
    await invite(owner, person.email);

    expect(await server.graphql(MINE, {}, { token: person.accessToken })).toMatchObject({ data: { myInvitations: [] }, errors: undefined });
  });

  it('needs a signed-in user', async () => {
    expect((await server.graphql(MINE)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
