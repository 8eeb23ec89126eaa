import { getNamedType, isObjectType, isUnionType } from 'graphql';
import type { GraphQLNamedType, GraphQLSchema } from 'graphql';
import { permissionMap } from '../../src/permissions/permissions';
import { guestAccessOf } from '../../src/permissions/rule-metadata';
import type { ShieldRule } from '../../src/permissions/rule-metadata';
import { buildGatehouseSchema } from '../../src/schema';
import { LOGIN } from '../support/documents';
import type { Permission } from '../support/documents';
import { addMember, signUp } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

const ruleTable = permissionMap as unknown as Record<string, Record<string, ShieldRule>>;

/**
 * What a signed-in user whose email is unverified (a guest) may see of anything that is not theirs:
 * each field here is open to them on purpose, for the reason given. Every other field a guest can
 * reach must demand a verified viewer, or show a guest only their own data.
 */
const OPEN_TO_GUESTS: Readonly<Record<string, string>> = {
  'Query.me': 'their own user, or null',
  'Query.currentSession': 'their own session, or null',
  'Query.loginAccounts': 'a pending selection, proven by its token',
  'Query._service': 'the SDL, gated for production by its own rule (Federation)',
  'Query._entities': 'each entity field keeps its own rule',
  '_Service.sdl': 'reached only through Query._service',
  'Mutation.signUp': 'signs in',
  'Mutation.login': 'signs in',
  'Mutation.selectAccount': 'signs in, proven by the selection token',
  'Mutation.refreshToken': 'proven by the refresh token',
  'Mutation.logout': 'ends their own session',
  'Mutation.verifyTwoFactor': 'signs in, proven by the challenge token',
  'Mutation.verifyEmail': 'how a guest stops being one',
  'Mutation.resendVerification': 'how a guest stops being one',
  'Mutation.requestPasswordReset': 'anyone may ask; mail goes to the address only',
  'Mutation.resetPassword': 'proven by the mailed link',
  'Mutation.declineInvitation': 'proven by the mailed link',
  'Query.invitation': 'proven by the mailed link; names no address and no id',
  'InvitationPreview.*': 'reached only through Query.invitation',
  'Query.myInvitations': 'empty until their address is verified (InvitationReads.mine checks the user row)',
  'Invitation.*': 'reached by a guest only through myInvitations, which is empty for them',
  'AuthPayload.*': 'the session the guest just started: their own tokens, user, account and rights',
  'AccountSelectionRequired.*': 'their own pending choice',
  'AccountOption.*': 'their own accounts, listed to who holds the selection token',
  'TwoFactorRequired.*': 'their own pending challenge',
  'SessionInfo.*': 'reached only as their own session (currentSession; mySessions needs verification)',
  'Permission.*': 'the rights of their own role, reached only through their own payload or session',
  'Query.exportMyData': 'their own data (GDPR art. 15 and 20)',
  'Mutation.changeEmail': 'their own address, with their password: how a mistyped one is put right',
  'Mutation.confirmEmailChange': 'proven by the mailed link',
  'Mutation.deleteMyUser': 'their own user, with their password (GDPR art. 17)',
  'UserDataExport.*': 'reached only through exportMyData: their own data',
  'ExportedUser.*': 'reached only through exportMyData: their own data',
  'ExportedMembership.*': 'reached only through exportMyData: their own data',
  'ExportedSession.*': 'reached only through exportMyData: their own data',
  'ExportedInvitation.*': 'reached only through exportMyData: their own data',
  'ExportedAuthEvent.*': 'reached only through exportMyData: their own data',
};

const isOpenOnPurpose = (typeName: string, fieldName: string) => `${typeName}.${fieldName}` in OPEN_TO_GUESTS || `${typeName}.*` in OPEN_TO_GUESTS;

/** Object types whose fields a guest can reach from the roots through fields that let a guest through. */
function reachableByGuests(schema: GraphQLSchema): Map<string, string> {
  const pathTo = new Map<string, string>();
  const queue: { type: GraphQLNamedType; path: string }[] = [
    { type: schema.getQueryType()!, path: 'Query' },
    { type: schema.getMutationType()!, path: 'Mutation' },
  ];
  while (queue.length > 0) {
    const { type, path } = queue.shift()!;
    const members = isUnionType(type) ? type.getTypes() : isObjectType(type) ? [type] : [];
    for (const member of members) {
      if (pathTo.has(member.name)) continue;
      pathTo.set(member.name, path);
      for (const [fieldName, field] of Object.entries(member.getFields())) {
        if (guestAccessOf(ruleTable[member.name]![fieldName]!) === 'verified') continue;
        queue.push({ type: getNamedType(field.type), path: `${path}.${fieldName}` });
      }
    }
  }
  return pathTo;
}

describe('what a guest (unverified email) can reach', () => {
  it('is, on every path through the schema, their own data or a field listed as open on purpose', async () => {
    const schema = await buildGatehouseSchema();
    const exposed: string[] = [];
    for (const [typeName, path] of reachableByGuests(schema)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      for (const fieldName of Object.keys(type.getFields())) {
        const access = guestAccessOf(ruleTable[typeName]![fieldName]!);
        if (access === 'open' && !isOpenOnPurpose(typeName, fieldName)) exposed.push(`${typeName}.${fieldName} (via ${path})`);
      }
    }
    expect(exposed).toEqual([]);
  });

  it('lists nothing as open on purpose that is not open', async () => {
    const schema = await buildGatehouseSchema();
    const stale = Object.keys(OPEN_TO_GUESTS).filter((entry) => {
      const [typeName, fieldName] = entry.split('.') as [string, string];
      const type = schema.getType(typeName);
      if (!isObjectType(type)) return true;
      const fields = fieldName === '*' ? Object.keys(type.getFields()) : [fieldName];
      return fields.some((field) => !type.getFields()[field] || guestAccessOf(ruleTable[typeName]![field]!) !== 'open');
    });
    expect(stale).toEqual([]);
  });
});

describe('an unverified user who holds a role in a company account', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /**
   * A company with an owner and a verified member, and an unverified user holding `admin` there: left
   * from before invitations needed a verified address, or put there by an operator. Signed into it.
   */
  async function guestAdmin() {
    const owner = await signUp(server, { accountName: 'Directory Corp' });
    const colleague = await signUp(server);
    await addMember(server, owner, colleague, 'member');
    const guest = await signUp(server, { unverified: true });
    await server.prisma.membership.create({ data: { userId: guest.userId, accountId: owner.accountId, roleName: 'admin' } });
    const login = await server.graphql(LOGIN, { input: { email: guest.email, password: guest.password, accountId: owner.accountId } });
    return { owner, colleague, guest, token: login.data!.login.accessToken as string };
  }

  const leaked = (response: { data?: unknown }, ...secrets: string[]) => secrets.filter((secret) => JSON.stringify(response.data ?? null).includes(secret));

  it('reads neither the member directory nor anyone’s email, through the account or through its own memberships', async () => {
    const { owner, colleague, token } = await guestAdmin();

    const viaAccount = await server.graphql(`query($id: ID!) { account(id: $id) { members { role user { id email username memberships { role } } } } }`, { id: owner.accountId }, { token });
    const viaMemberships = await server.graphql(`{ me { memberships { role account { id name members { role user { id email } } } } } }`, {}, { token });

    expect(viaAccount.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
    expect(viaMemberships.errors?.some((error) => error.path?.includes('members') && error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(leaked(viaAccount, owner.email, colleague.email, colleague.userId)).toEqual([]);
    expect(leaked(viaMemberships, owner.email, colleague.email, colleague.userId)).toEqual([]);
  });

  it('reads no user through the federation _entities lookup', async () => {
    const { owner, colleague, token } = await guestAdmin();
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email username createdAt memberships { role } } } }`;

    const response = await server.graphql(query, { representations: [{ __typename: 'User', id: owner.userId }, { __typename: 'User', id: colleague.userId }] }, { token });

    expect(response.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(leaked(response, owner.email, colleague.email)).toEqual([]);
  });

  it('holds no permission: no audit log, no invitations, no member changes, and an empty scope', async () => {
    const { owner, colleague, token } = await guestAdmin();

    const events = await server.graphql(`query($id: ID!) { authEvents(accountId: $id) { edges { node { type } } } }`, { id: owner.accountId }, { token });
    const invite = await server.graphql(`mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`, { input: { accountId: owner.accountId, email: 'friend.of.guest@example.test', role: 'member' } }, { token });
    const remove = await server.graphql(`mutation($input: RemoveMemberInput!) { removeMember(input: $input) }`, { input: { accountId: owner.accountId, userId: colleague.userId } }, { token });
    const session = await server.graphql<{ currentSession: { role: string; access: Pick<Permission, 'feature'>[] } | null }>(`{ currentSession { role access { feature } } }`, {}, { token });

    for (const response of [events, invite, remove]) expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(session.data!.currentSession).toEqual({ role: 'admin', access: [] });
    expect(decodeJwtPayload(token).scope).toBeUndefined();
    expect(await server.prisma.membership.count({ where: { userId: colleague.userId, accountId: owner.accountId } })).toBe(1);
  });

  it('still sees its own user, memberships and the account it is signed into', async () => {
    const { owner, guest, token } = await guestAdmin();

    const response = await server.graphql<{
      me: { id: string; email: string; emailVerified: boolean; memberships: { role: string; account: { id: string; name: string } }[] } | null;
      currentSession: { account: { id: string; name: string } } | null;
    }>(`{ me { id email emailVerified memberships { role account { id name } } } currentSession { account { id name } } }`, {}, { token });

    expect(response.errors).toBeUndefined();
    expect(response.data!.me).toMatchObject({ id: guest.userId, email: guest.email, emailVerified: false });
    expect(response.data!.me!.memberships).toEqual(expect.arrayContaining([{ role: 'admin', account: { id: owner.accountId, name: 'Directory Corp' } }]));
    expect(response.data!.currentSession!.account).toEqual({ id: owner.accountId, name: 'Directory Corp' });
  });
});
