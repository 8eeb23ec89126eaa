import argon2 from 'argon2';
import type { App } from '../../src/app';
import { AuthEventType } from '../../src/audit/auth-event';
import type { Config } from '../../src/config/config';
import type { Viewer } from '../../src/identity/viewer';

/** Every bench user's password. Their hash is computed once, at the production parameters. */
export const BENCH_PASSWORD = 'bench: correct horse battery staple';

export interface Fixtures {
  /** argon2id hash of BENCH_PASSWORD at the configured parameters: what bare verification runs against. */
  readonly passwordHash: string;
  /** The account whose member list scenario 5 reads, and its owner (the viewer of every token scenario). */
  readonly listAccountId: string;
  readonly listOwnerId: string;
  /**
   * A member of the list account whose sessions are the refresh chains (scenario 4). Each round mints
   * 50 new chains; kept apart from the owner's, the per-user session cap ends the last round's chains,
   * never the token path's sessions, so the service runs with its default cap.
   */
  readonly refreshUserId: string;
  /** One user per login connection, each owning an account of their own (a login goes straight in). */
  readonly loginEmails: readonly string[];
  /**
   * Existing users to send wrong passwords for (scenario 3): the list's members, each asked about at
   * most a few times, so the per-account back-off never answers before the hash does.
   */
  readonly probeEmails: readonly string[];
}

export interface FixtureSizes {
  readonly members: number;
  readonly loginUsers: number;
}

/** Seeds rows directly (no sign-up flow: 1000 sign-ups would be 1000 hashes before the bench starts). */
export async function seedFixtures(app: App, config: Config, sizes: FixtureSizes): Promise<Fixtures> {
  const { prisma } = app.database;
  const passwordHash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, ...config.passwords.argon2 });
  const now = new Date();
  const user = (email: string) => ({ email, passwordHash, emailVerifiedAt: now });

  const owner = await prisma.user.create({ data: user('owner@bench.test') });
  const refreshUser = await prisma.user.create({ data: user('refresh@bench.test') });
  const account = await prisma.account.create({ data: { name: 'Bench members', createdByUserId: owner.id } });
  await prisma.user.createMany({ data: Array.from({ length: sizes.members - 2 }, (_, index) => user(`member-${index}@bench.test`)) });
  const members = await prisma.user.findMany({ where: { email: { startsWith: 'member-' } }, select: { id: true } });
  await prisma.membership.createMany({
    data: [
      { userId: owner.id, accountId: account.id, roleName: 'owner' },
      { userId: refreshUser.id, accountId: account.id, roleName: 'member' },
      ...members.map((member) => ({ userId: member.id, accountId: account.id, roleName: 'member' })),
    ],
  });

  const loginEmails: string[] = [];
  for (let index = 0; index < sizes.loginUsers; index++) {
    const login = await prisma.user.create({ data: user(`login-${index}@bench.test`) });
    const own = await prisma.account.create({ data: { name: `Bench login ${index}`, createdByUserId: login.id } });
    await prisma.membership.create({ data: { userId: login.id, accountId: own.id, roleName: 'owner' } });
    loginEmails.push(login.email);
  }
  const probeEmails = Array.from({ length: sizes.members - 2 }, (_, index) => `member-${index}@bench.test`);
  return { passwordHash, listAccountId: account.id, listOwnerId: owner.id, refreshUserId: refreshUser.id, loginEmails, probeEmails };
}

export interface MintedSession {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Whose sessions to mint: the list owner's (the token scenarios' viewer) or the refresh chains' user. */
export type SessionHolder = 'listOwner' | 'refreshUser';

/** Sessions in the list account, started the way a login starts them: for tokens and refresh chains. */
export async function mintSessions(app: App, fixtures: Fixtures, count: number, holder: SessionHolder): Promise<MintedSession[]> {
  const { prisma } = app.database;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: holder === 'listOwner' ? fixtures.listOwnerId : fixtures.refreshUserId } });
  const account = await prisma.account.findUniqueOrThrow({ where: { id: fixtures.listAccountId } });
  const grants = [];
  for (let index = 0; index < count; index++) {
    const grant = await app.services.sessions.start({
      user,
      account,
      role: holder === 'listOwner' ? 'owner' : 'member',
      clientId: null,
      request: { ip: '127.0.0.1', userAgent: 'gatehouse-bench' },
      isLogin: true,
      event: AuthEventType.LOGIN_SUCCEEDED,
    });
    grants.push({ sessionId: grant.sessionId, accessToken: grant.accessToken, refreshToken: grant.refreshToken });
  }
  return grants;
}

/** The identity the app built without the auth layer gives every request: the list owner, in the list account. */
export function listOwnerViewer(app: App, fixtures: Fixtures, sessionId: string): Viewer {
  return {
    userId: fixtures.listOwnerId,
    sessionId,
    accountId: fixtures.listAccountId,
    role: 'owner',
    access: app.services.roles.roleOf('owner', null)!.permissions,
    clientId: null,
    emailVerified: true,
  };
}
