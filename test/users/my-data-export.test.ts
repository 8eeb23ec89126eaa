import { INVITE_MEMBER } from '../support/documents';
import { addMember, signUp, uniqueEmail } from '../support/factories';
import { typedDocument } from '../support/graphql-client';
import { codeIn } from '../support/graphql-errors';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

interface Export {
  exportedAt: string;
  user: Record<string, unknown>;
  memberships: { accountId: string; accountName: string; role: string }[];
  sessions: Record<string, unknown>[];
  sessionsTruncated: boolean;
  invitationsReceived: { accountId: string; accountName: string; role: string; acceptedAt: string | null }[];
  invitationsSent: { accountId: string; role: string }[];
  auditEvents: { id: string; type: string; createdAt: string }[];
  auditEventsTruncated: boolean;
}

// Every field the export has: a test of what it leaks must read all of it.
const EXPORT_MY_DATA = typedDocument<{ exportMyData: Export }>(`query ExportMyData { exportMyData {
  exportedAt
  user { id email emailVerifiedAt username createdAt lastLoginAt lastAccountId twoFactorEnabledAt }
  memberships { accountId accountName role createdAt lastUsedAt }
  sessions { id accountId clientId createdAt lastUsedAt idleExpiresAt absoluteExpiresAt revokedAt revokedReason userAgent ip }
  sessionsTruncated
  invitationsReceived { id accountId accountName role createdAt expiresAt acceptedAt declinedAt revokedAt }
  invitationsSent { id accountId accountName role createdAt expiresAt acceptedAt declinedAt revokedAt }
  auditEvents { id type reason accountId sessionId clientId ip userAgent createdAt }
  auditEventsTruncated
} }`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const exportAs = (accessToken: string) => server.graphql(EXPORT_MY_DATA, {}, { token: accessToken });

describe('exportMyData', () => {
  it('gives the user their own record, memberships, sessions, invitations and audit events', async () => {
    const owner = await signUp(server, { accountName: 'Shared Bakery' });
    const member = await signUp(server, { accountName: 'Own Kitchen', username: `exporter${Date.now().toString(36)}` });
    await addMember(server, owner, member, 'member');

    const response = await exportAs(member.accessToken);

    expect(response.errors).toBeUndefined();
    const data = response.data!.exportMyData;
    expect(data.user).toMatchObject({ id: member.userId, email: member.email, twoFactorEnabledAt: null });
    expect(data.user.emailVerifiedAt).not.toBeNull();
    expect(data.memberships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountId: member.accountId, accountName: 'Own Kitchen', role: 'owner' }),
        expect.objectContaining({ accountId: owner.accountId, accountName: 'Shared Bakery', role: 'member' }),
      ]),
    );
    expect(data.memberships).toHaveLength(2);
    // Its sign-up's session and the one accepting the invitation opened.
    expect(data.sessions).toHaveLength(2);
    expect(data.invitationsReceived).toEqual([expect.objectContaining({ accountId: owner.accountId, accountName: 'Shared Bakery', role: 'member' })]);
    expect(data.invitationsReceived[0]!.acceptedAt).not.toBeNull();
    expect(data.auditEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['SIGN_UP', 'EMAIL_VERIFIED', 'MEMBER_ADDED']));
    expect(data.sessionsTruncated).toBe(false);
    expect(data.auditEventsTruncated).toBe(false);
  });

  it('holds no credential: no password hash, TOTP secret, refresh token or token hash', async () => {
    const user = await signUp(server);
    const row = await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    const tokenHashes = (await server.prisma.refreshToken.findMany({ where: { session: { userId: user.userId } } })).map((token) => token.secretHash);

    const text = JSON.stringify((await exportAs(user.accessToken)).data);

    expect(text).not.toContain(row.passwordHash);
    expect(text).not.toMatch(/argon2|passwordHash|totpSecret|secretHash|gh[a-z]_/);
    expect(text).not.toContain(user.refreshToken.split('.')[1]);
    for (const hash of tokenHashes) expect(text).not.toContain(hash);
  });

  it('shows nothing of other users: not the owner’s or another member’s address or id, nor whom the user invited', async () => {
    const owner = await signUp(server, { accountName: 'Crowded' });
    const member = await signUp(server);
    const colleague = await signUp(server);
    await addMember(server, owner, member, 'admin');
    await addMember(server, owner, colleague, 'member');
    const inShared = await server.graphql(
      `mutation($input: LoginInput!) { login(input: $input) { ... on AuthPayload { accessToken } } }`,
      { input: { email: member.email, password: member.password, accountId: owner.accountId } },
    );
    const memberToken = (inShared.data as { login: { accessToken: string } }).login.accessToken;
    const invitee = uniqueEmail('invited-by-member');
    expect((await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email: invitee, role: 'member' } }, { token: memberToken })).errors).toBeUndefined();

    const response = await exportAs(memberToken);

    expect(response.errors).toBeUndefined();
    expect(response.data!.exportMyData.invitationsSent).toEqual([expect.objectContaining({ accountId: owner.accountId, role: 'member' })]);
    const text = JSON.stringify(response.data);
    for (const foreign of [owner.email, owner.userId, colleague.email, colleague.userId, invitee]) expect(text).not.toContain(foreign);
  });

  it('lists only the user’s own audit events, not those of other members of their accounts', async () => {
    const owner = await signUp(server);
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    const ownerEventIds = new Set((await server.prisma.authEvent.findMany({ where: { userId: owner.userId } })).map((event) => event.id));

    const events = (await exportAs(member.accessToken)).data!.exportMyData.auditEvents;

    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((event) => ownerEventIds.has(event.id))).toEqual([]);
  });

  it('lists at most the last 1000 audit events, newest first, and says more exist', async () => {
    const user = await signUp(server);
    const start = Date.now() - 10_000_000;
    await server.prisma.authEvent.createMany({
      data: Array.from({ length: 1005 }, (_, index) => ({ type: 'TOKEN_REFRESHED', userId: user.userId, createdAt: new Date(start + index * 1000) })),
    });

    const data = (await exportAs(user.accessToken)).data!.exportMyData;

    expect(data.auditEvents).toHaveLength(1000);
    expect(data.auditEventsTruncated).toBe(true);
    const times = data.auditEvents.map((event) => Date.parse(event.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers an unverified user with their own data', async () => {
    const user = await signUp(server, { unverified: true });

    const response = await exportAs(user.accessToken);

    expect(response.errors).toBeUndefined();
    expect(response.data!.exportMyData.user).toMatchObject({ id: user.userId, emailVerifiedAt: null });
    expect(response.data!.exportMyData.memberships).toEqual([expect.objectContaining({ accountId: user.accountId, role: 'guest' })]);
  });

  it('needs a signed-in user', async () => {
    expect(codeIn(await server.graphql(EXPORT_MY_DATA))).toBe('UNAUTHENTICATED');
  });
});
