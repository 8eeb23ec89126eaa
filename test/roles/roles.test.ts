import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GATEHOUSE_FEATURES } from '../../src/accounts/features';
import { CURRENT_ACCESS, SET_ROLE } from '../support/documents';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { presentRefreshToken } from '../support/presenting-tokens';
import { temporaryDirectory } from '../support/temporary-directories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

// Custom roles over the application's own features (declared in a features file) and Gatehouse's:
// nobody builds, edits, deletes or grants a role with rights they do not hold, and a changed role
// takes effect on its members' next request (and in their next refreshed token).

let server: TestServer;
beforeAll(async () => {
  const featuresFile = path.join(temporaryDirectory('features'), 'features.yaml');
  writeFileSync(
    featuresFile,
    [
      'features:',
      '  - name: projects',
      '    description: Projects in the app.',
      '    operations: crud',
      '    roles: { owner: crud, admin: crud, member: r }',
      '  - name: invoices',
      '    operations: cr',
      '    roles: { owner: cr }',
    ].join('\n'),
  );
  server = await startTestServer({ FEATURES_FILE: featuresFile });
});
afterAll(() => server.close());

const FEATURES = `{ features { name operations builtIn } }`;
const ROLES = `query Roles($accountId: ID!) { roles(accountId: $accountId) { name builtIn memberCount permissions { feature access } } }`;
const CREATE = `mutation Create($input: CreateRoleInput!) { createRole(input: $input) { name description builtIn memberCount permissions { feature access } } }`;
const UPDATE = `mutation Update($input: UpdateRoleInput!) { updateRole(input: $input) { name permissions { feature access } memberCount } }`;
const DELETE = `mutation Delete($input: DeleteRoleInput!) { deleteRole(input: $input) }`;
const MEMBERS = `query Members($id: ID!) { account(id: $id) { members { user { id } } } }`;

const createRole = (by: { accessToken: string }, accountId: string, name: string, permissions: { feature: string; access: string }[]) =>
  server.graphql<{ createRole: { name: string; permissions: { feature: string; access: string }[] } }>(
    CREATE,
    { input: { accountId, name, description: `${name} role`, permissions } },
    { token: by.accessToken },
  );
const setRole = (by: { accessToken: string }, accountId: string, userId: string, role: string) =>
  server.graphql(SET_ROLE, { input: { accountId, userId, role } }, { token: by.accessToken });

const byFeature = (a: { feature: string }, b: { feature: string }) => a.feature.localeCompare(b.feature);

/** An owner's account with an admin in it, signed into it. */
async function ownerAndAdmin(): Promise<{ owner: SignedUpUser; admin: SignedUpUser }> {
  const owner = await signUp(server);
  const admin = await signUp(server);
  await addMember(server, owner, admin, 'admin');
  return { owner, admin: { ...admin, ...(await loginTo(server, admin, owner.accountId)), accountId: owner.accountId } };
}

describe('features', () => {
  it("lists Gatehouse's own features and the application's from the features file", async () => {
    const owner = await signUp(server);

    const response = await server.graphql<{ features: { name: string; operations: string; builtIn: boolean }[] }>(FEATURES, {}, { token: owner.accessToken });

    expect(response.errors).toBeUndefined();
    expect(response.data!.features).toEqual([
      { name: 'account', operations: 'crud', builtIn: true },
      { name: 'members', operations: 'crud', builtIn: true },
      { name: 'audit', operations: 'r', builtIn: true },
      { name: 'invitations', operations: 'crud', builtIn: true },
      { name: 'roles', operations: 'crud', builtIn: true },
      { name: 'webhooks', operations: 'crd', builtIn: true },
      { name: 'projects', operations: 'crud', builtIn: false },
      { name: 'invoices', operations: 'cr', builtIn: false },
    ]);
    expect(codeIn(await server.graphql(FEATURES))).toBe('UNAUTHENTICATED');
  });

  it("gives the built-in roles what the file grants them, in the access map and the token's scope alike", async () => {
    const { owner, admin } = await ownerAndAdmin();

    const ownerAccess = await server.graphql(CURRENT_ACCESS, {}, { token: owner.accessToken });
    const adminAccess = await server.graphql(CURRENT_ACCESS, {}, { token: admin.accessToken });

    expect(ownerAccess.data!.currentSession!.access).toEqual(expect.arrayContaining([{ feature: 'projects', access: 'crud' }, { feature: 'invoices', access: 'cr' }]));
    expect(adminAccess.data!.currentSession!.access).toContainEqual({ feature: 'projects', access: 'crud' });
    expect(adminAccess.data!.currentSession!.access.map((permission) => permission.feature)).not.toContain('invoices');
    expect(String(decodeJwtPayload(admin.accessToken).scope).split(' ')).toEqual(expect.arrayContaining(['projects:c', 'projects:u', 'roles:c', 'members:d']));
    expect(String(decodeJwtPayload(owner.accessToken).scope)).not.toContain('billing');
  });
});

describe('the built-in roles', () => {
  it("hold on Gatehouse's own features what the migrations seeded and `features` describes", async () => {
    const owner = await signUp(server);
    const listed = await server.graphql<{ roles: { name: string; permissions: { feature: string; access: string }[] }[] }>(ROLES, { accountId: owner.accountId }, { token: owner.accessToken });
    const seeded = await server.prisma.rolePermission.findMany();

    for (const role of listed.data!.roles) {
      const own = role.permissions.filter((permission) => GATEHOUSE_FEATURES.some((feature) => feature.name === permission.feature));
      const described = GATEHOUSE_FEATURES.flatMap((feature) => {
        const access = feature.builtInRoleAccess[role.name as keyof typeof feature.builtInRoleAccess];
        return access ? [{ feature: feature.name, access }] : [];
      });
      const fromDatabase = seeded.filter((row) => row.roleName === role.name).map(({ feature, access }) => ({ feature, access }));
      expect({ role: role.name, permissions: [...own].sort(byFeature) }).toEqual({ role: role.name, permissions: [...described].sort(byFeature) });
      expect({ role: role.name, permissions: [...fromDatabase].sort(byFeature) }).toEqual({ role: role.name, permissions: [...described].sort(byFeature) });
    }
  });
});

describe('custom roles', () => {
  it('creates a role within the creator’s rights, lists it with the built-in ones, and grants exactly it to a member', async () => {
    const { owner, admin } = await ownerAndAdmin();
    const member = await signUp(server);

    const created = await createRole(admin, owner.accountId, 'project-editor', [
      { feature: 'projects', access: 'ur' },
      { feature: 'members', access: 'r' },
    ]);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createRole.permissions).toEqual([
      { feature: 'members', access: 'r' },
      { feature: 'projects', access: 'ru' },
    ]);

    await addMember(server, admin, member, 'project-editor');
    const session = await loginTo(server, member, owner.accountId);
    const access = await server.graphql(CURRENT_ACCESS, {}, { token: session.accessToken });
    const roles = await server.graphql<{ roles: { name: string; builtIn: boolean; memberCount: number }[] }>(ROLES, { accountId: owner.accountId }, { token: owner.accessToken });

    expect(access.data!.currentSession).toEqual({ role: 'project-editor', access: [{ feature: 'members', access: 'r' }, { feature: 'projects', access: 'ru' }] });
    expect(decodeJwtPayload(session.accessToken)).toMatchObject({ role: 'project-editor', scope: 'members:r projects:r projects:u' });
    expect(roles.data!.roles.map(({ name, builtIn, memberCount }) => ({ name, builtIn, memberCount }))).toEqual([
      { name: 'owner', builtIn: true, memberCount: 1 },
      { name: 'admin', builtIn: true, memberCount: 1 },
      { name: 'member', builtIn: true, memberCount: 0 },
      { name: 'guest', builtIn: true, memberCount: 0 },
      { name: 'project-editor', builtIn: false, memberCount: 1 },
    ]);
    const events = await server.prisma.authEvent.findMany({ where: { accountId: owner.accountId, type: 'ROLE_CREATED' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ role: 'project-editor', scope: 'members:r projects:r projects:u' });
  });

  it('refuses a role with a right its creator does not hold, and leaves nothing behind', async () => {
    const { owner, admin } = await ownerAndAdmin();

    // Admins hold account:ru and no invoices rights; the owner holds both.
    const deleteAccount = await createRole(admin, owner.accountId, 'closer', [{ feature: 'account', access: 'd' }]);
    const invoices = await createRole(admin, owner.accountId, 'biller', [{ feature: 'invoices', access: 'r' }]);
    const byOwner = await createRole(owner, owner.accountId, 'biller', [{ feature: 'invoices', access: 'r' }]);

    expect([codeIn(deleteAccount), reasonIn(deleteAccount)]).toEqual(['FORBIDDEN', 'ROLE_TOO_HIGH']);
    expect([codeIn(invoices), reasonIn(invoices)]).toEqual(['FORBIDDEN', 'ROLE_TOO_HIGH']);
    expect(byOwner.errors).toBeUndefined();
    expect(await server.prisma.accountRole.findMany({ where: { accountId: owner.accountId }, select: { name: true } })).toEqual([{ name: 'biller' }]);
  });

  it('refuses unknown features, unsupported operations, repeated features and built-in names as bad input', async () => {
    const owner = await signUp(server);
    const cases = [
      { name: 'a', permissions: [{ feature: 'spaceships', access: 'r' }], field: 'permissions.0.feature', reason: 'UNKNOWN_FEATURE' },
      { name: 'b', permissions: [{ feature: 'invoices', access: 'u' }], field: 'permissions.0.access', reason: 'INVALID_VALUE' },
      { name: 'c', permissions: [{ feature: 'audit', access: 'x' }], field: 'permissions.0.access', reason: 'INVALID_VALUE' },
      { name: 'd', permissions: [{ feature: 'projects', access: 'r' }, { feature: 'projects', access: 'u' }], field: 'permissions.1.feature', reason: 'INVALID_VALUE' },
      { name: 'admin', permissions: [], field: 'name', reason: 'INVALID_VALUE' },
      { name: 'Not A Name', permissions: [], field: 'name', reason: 'INVALID_VALUE' },
    ];

    for (const { name, permissions, field, reason } of cases) {
      const response = await createRole(owner, owner.accountId, name, permissions);
      expect({ name, extensions: response.errors?.[0]?.extensions }).toEqual({ name, extensions: { code: 'BAD_USER_INPUT', field, reason } });
    }
    const twice = await createRole(owner, owner.accountId, 'twice', []);
    const again = await createRole(owner, owner.accountId, 'twice', []);
    expect(twice.errors).toBeUndefined();
    expect([codeIn(again), reasonIn(again)]).toEqual(['BAD_USER_INPUT', 'ROLE_EXISTS']);
    expect(await server.prisma.accountRole.count({ where: { accountId: owner.accountId } })).toBe(1);
  });

  it("refuses members without roles:c, another account's admin, and a demoted admin still holding an admin token", async () => {
    const { owner, admin } = await ownerAndAdmin();
    const plain = await signUp(server);
    await addMember(server, owner, plain, 'member');
    const member = await loginTo(server, plain, owner.accountId);
    const stranger = await signUp(server);

    const byMember = await createRole(member, owner.accountId, 'x', []);
    const byStranger = await createRole(stranger, owner.accountId, 'x', []);
    const demoted = await setRole(owner, owner.accountId, admin.userId, 'member');
    const byDemoted = await createRole(admin, owner.accountId, 'x', []);
    const listByMember = await server.graphql(ROLES, { accountId: owner.accountId }, { token: member.accessToken });

    expect(demoted.errors).toBeUndefined();
    for (const response of [byMember, byStranger, byDemoted, listByMember]) expect(codeIn(response)).toBe('FORBIDDEN');
    expect(await server.prisma.accountRole.count({ where: { accountId: owner.accountId } })).toBe(0);
  });

  it("takes a narrowed role away on its members' next request, and out of their next refreshed token", async () => {
    const { owner, admin } = await ownerAndAdmin();
    const person = await signUp(server);
    await createRole(owner, owner.accountId, 'viewer', [{ feature: 'members', access: 'r' }, { feature: 'projects', access: 'r' }]);
    await addMember(server, owner, person, 'viewer');
    const session = await loginTo(server, person, owner.accountId);
    expect((await server.graphql(MEMBERS, { id: owner.accountId }, { token: session.accessToken })).errors).toBeUndefined();

    const narrowed = await server.graphql(UPDATE, { input: { accountId: owner.accountId, name: 'viewer', permissions: [{ feature: 'projects', access: 'r' }] } }, { token: admin.accessToken });
    const withOldToken = await server.graphql(MEMBERS, { id: owner.accountId }, { token: session.accessToken });
    const refreshed = await presentRefreshToken(server, session.refreshToken);

    expect(narrowed.errors).toBeUndefined();
    expect(codeIn(withOldToken)).toBe('FORBIDDEN');
    expect(decodeJwtPayload(refreshed.data!.refreshToken.accessToken)).toMatchObject({ role: 'viewer', scope: 'projects:r' });
    expect(refreshed.data!.refreshToken.access).toEqual([{ feature: 'projects', access: 'r' }]);
  });

  it('lets nobody edit or delete a role with rights they do not hold, nor grant it, nor touch built-in roles', async () => {
    const { owner, admin } = await ownerAndAdmin();
    const person = await signUp(server);
    await createRole(owner, owner.accountId, 'accountant', [{ feature: 'invoices', access: 'cr' }]);

    const widen = await server.graphql(UPDATE, { input: { accountId: owner.accountId, name: 'accountant', permissions: [] } }, { token: admin.accessToken });
    const remove = await server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'accountant' } }, { token: admin.accessToken });
    const invite = await server.graphql(
      `mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { status } }`,
      { input: { accountId: owner.accountId, email: person.email, role: 'accountant' } },
      { token: admin.accessToken },
    );
    const builtIn = await server.graphql(UPDATE, { input: { accountId: owner.accountId, name: 'member', permissions: [{ feature: 'projects', access: 'crud' }] } }, { token: owner.accessToken });
    const ownRights = await server.graphql(UPDATE, { input: { accountId: owner.accountId, name: 'admin', permissions: [] } }, { token: admin.accessToken });

    for (const response of [widen, remove, invite]) expect([codeIn(response), reasonIn(response)]).toEqual(['FORBIDDEN', 'ROLE_TOO_HIGH']);
    for (const response of [builtIn, ownRights]) expect([codeIn(response), reasonIn(response)]).toEqual(['BAD_USER_INPUT', 'BUILT_IN_ROLE']);
    expect(await server.prisma.accountRole.findUnique({ where: { accountId_name: { accountId: owner.accountId, name: 'accountant' } } })).toMatchObject({
      permissions: [{ feature: 'invoices', access: 'cr' }],
    });
  });

  it('deletes a role in use only with a replacement, moving its members and pending invitations in the same transaction', async () => {
    const owner = await signUp(server);
    const person = await signUp(server);
    await createRole(owner, owner.accountId, 'temp', [{ feature: 'projects', access: 'r' }]);
    await addMember(server, owner, person, 'temp');
    const invitee = `later.${Date.now()}@example.test`;
    await server.graphql(`mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { status } }`, { input: { accountId: owner.accountId, email: invitee, role: 'temp' } }, { token: owner.accessToken });

    const withoutReplacement = await server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'temp' } }, { token: owner.accessToken });
    const toItself = await server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'temp', replacement: 'temp' } }, { token: owner.accessToken });
    const toNothing = await server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'temp', replacement: 'no-such-role' } }, { token: owner.accessToken });
    expect([codeIn(withoutReplacement), reasonIn(withoutReplacement)]).toEqual(['BAD_USER_INPUT', 'ROLE_IN_USE']);
    expect(codeIn(toItself)).toBe('BAD_USER_INPUT');
    expect(codeIn(toNothing)).toBe('BAD_USER_INPUT');
    expect(await server.prisma.membership.findUnique({ where: { userId_accountId: { userId: person.userId, accountId: owner.accountId } } })).toMatchObject({ roleName: 'temp' });

    const deleted = await server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'temp', replacement: 'member' } }, { token: owner.accessToken });

    expect(deleted.errors).toBeUndefined();
    expect(await server.prisma.membership.findUnique({ where: { userId_accountId: { userId: person.userId, accountId: owner.accountId } } })).toMatchObject({ roleName: 'member' });
    expect(await server.prisma.invitation.findFirst({ where: { accountId: owner.accountId, email: invitee } })).toMatchObject({ roleName: 'member' });
    expect(await server.prisma.accountRole.count({ where: { accountId: owner.accountId } })).toBe(0);
    const [event] = await server.prisma.authEvent.findMany({ where: { accountId: owner.accountId, type: 'ROLE_DELETED' } });
    expect(event?.details).toMatchObject({ role: 'temp', replacement: 'member', membersMoved: 1, invitationsMoved: 1 });
  });

  it('leaves no member holding a deleted role when a grant races the deletion', async () => {
    const owner = await signUp(server);
    const people = await Promise.all([signUp(server), signUp(server), signUp(server)]);
    await createRole(owner, owner.accountId, 'racer', [{ feature: 'projects', access: 'r' }]);
    for (const person of people) await addMember(server, owner, person, 'member');

    await Promise.all([
      ...people.map((person) => setRole(owner, owner.accountId, person.userId, 'racer')),
      server.graphql(DELETE, { input: { accountId: owner.accountId, name: 'racer', replacement: 'guest' } }, { token: owner.accessToken }),
    ]);

    const roles = await server.prisma.membership.findMany({ where: { accountId: owner.accountId, userId: { in: people.map((person) => person.userId) } } });
    expect(roles.map((membership) => membership.roleName).filter((role) => role !== 'member' && role !== 'guest')).toEqual([]);
    expect(await server.prisma.accountRole.count({ where: { accountId: owner.accountId } })).toBe(0);
  });
});
