import { usernameSkeleton } from '../../src/users/username';
import { backfillUsernameSkeletons } from '../../src/users/username-skeleton-backfill';
import { SIGN_UP } from '../support/documents';
import { strongPassword, uniqueEmail } from '../support/factories';
import { createTestDatabase } from '../support/test-database';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Users who chose a username before User.usernameSkeleton existed are given one when the service starts.
// Their rows are made here as that older version left them: a username and a key, no skeleton.

/** A user as written before the skeleton column, signed up at `createdAt`. */
async function userFromBefore(server: TestServer, username: string | null, createdAt: string) {
  return server.prisma.user.create({
    data: {
      email: uniqueEmail('before'),
      username,
      usernameKey: username?.toLowerCase() ?? null,
      passwordHash: 'not-a-hash',
      createdAt: new Date(createdAt),
    },
  });
}

const skeletonOf = async (server: TestServer, userId: string) =>
  (await server.prisma.user.findUniqueOrThrow({ where: { id: userId } })).usernameSkeleton;

const WARN = 40;
const lookAlikeWarnings = (server: TestServer) =>
  server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === WARN && 'sameAsUserId' in line);

it('fills the skeletons at start, leaves the later of two look-alikes without one and names both in a warning', async () => {
  const database = await createTestDatabase();
  try {
    const before = await startTestServer({}, { database });
    // Created out of sign-up order on purpose: the older user keeps the skeleton, whichever row came first.
    const imitation = await userFromBefore(before, '\u0455\u0441\u043e\u0440\u0435', '2026-02-01T00:00:00.000Z');
    const original = await userFromBefore(before, 'Scope', '2026-01-01T00:00:00.000Z');
    const ada = await userFromBefore(before, 'Ada', '2026-03-01T00:00:00.000Z');
    const nameless = await userFromBefore(before, null, '2026-03-02T00:00:00.000Z');
    await before.close();

    const server = await startTestServer({}, { database });
    try {
      expect(await skeletonOf(server, original.id)).toBe(usernameSkeleton('Scope'));
      expect(await skeletonOf(server, ada.id)).toBe(usernameSkeleton('Ada'));
      expect(await skeletonOf(server, imitation.id)).toBeNull();
      expect(await skeletonOf(server, nameless.id)).toBeNull();
      expect(lookAlikeWarnings(server)).toEqual([expect.objectContaining({ userId: imitation.id, sameAsUserId: original.id })]);

      // Filled, the skeleton guards sign-up as it does for new users.
      const response = await server.graphql(SIGN_UP, { input: { email: uniqueEmail(), password: strongPassword(), username: '\u0405\u0421\u041e\u0420\u0415' } });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username', reason: 'USERNAME_TAKEN' });
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
});

describe('in batches', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('goes on past look-alikes that stay unfilled, batch after batch, and finds nothing left the next time', async () => {
    const users = [];
    // Two to a batch: each look-alike meets its original in the batch before.
    for (const [index, username] of ['warm', 'pal_l', 'warrn', 'gauss', 'pal_1', 'WARM_2'].entries()) {
      users.push(await userFromBefore(server, username, `2025-01-0${index + 1}T00:00:00.000Z`));
    }
    const [warm, palL, warrn, gauss, pal1, warm2] = users.map((user) => user.id);
    const warnings: unknown[] = [];
    const logger = {
      info: () => undefined,
      warn: (details: unknown) => {
        warnings.push(details);
      },
    };

    const first = await backfillUsernameSkeletons(server.app.database.maintenanceSql, logger, 2);
    const second = await backfillUsernameSkeletons(server.app.database.maintenanceSql, logger, 2);

    expect(first).toEqual({ filled: 4, lookAlikes: [[warrn, warm], [pal1, palL]] });
    expect(await skeletonOf(server, warm2)).toBe(usernameSkeleton('warm_2'));
    expect(await skeletonOf(server, gauss)).toBe('gauss');
    // The look-alikes are found again at every start, and warned about again, until someone settles them.
    expect(second).toEqual({ filled: 0, lookAlikes: [[warrn, warm], [pal1, palL]] });
    expect(warnings).toHaveLength(4);
  });
});
