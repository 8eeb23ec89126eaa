import type { HotPathSql } from '../../src/database/hot-path-sql';
import { BearerSessionReads } from '../../src/sessions/bearer-session-reads';
import { LOGOUT, ME_ID } from '../support/documents';
import { signUp } from '../support/factories';
import { expectAccessTokenRefused } from '../support/presenting-tokens';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { sessionIdOf } from '../support/tokens';

// Every request's bearer check reads its session, user and role from the database. Requests that reach it in
// the same turn of the event loop share one statement (src/sessions/bearer-session-reads.ts); none may get
// another's row, a stale row, or an error because of another's token.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** The app's own connection to its database, counting the statements it runs. */
function countingSql(): { sql: HotPathSql; statements: () => number } {
  let statements = 0;
  const { hotPathSql } = server.app.database;
  return {
    sql: { query: (text, parameters) => (statements++, hotPathSql.query(text, parameters)) },
    statements: () => statements,
  };
}

describe('bearer reads asked in the same turn', () => {
  it('share one statement, and each gets its own session: duplicates, unknown and malformed ids included', async () => {
    const [first, second] = [await signUp(server), await signUp(server)];
    const [firstId, secondId] = [sessionIdOf(first.accessToken), sessionIdOf(second.accessToken)];
    const counting = countingSql();
    const reads = new BearerSessionReads(counting.sql);

    const found = await Promise.all(
      [secondId, firstId, 'not-a-session-id', secondId.toUpperCase(), '01890000-0000-7000-8000-000000000002', firstId].map((id) => reads.find(id)),
    );

    expect(found.map((bearer) => bearer?.session.user.email ?? null)).toEqual([second.email, first.email, null, second.email, null, first.email]);
    expect(found.map((bearer) => bearer?.session.id ?? null)).toEqual([secondId, firstId, null, secondId, null, firstId]);
    expect(counting.statements()).toBe(1);
  });

  it('are read again on the next turn, never served from an earlier answer: a session ended in between reads as ended', async () => {
    const user = await signUp(server);
    const sessionId = sessionIdOf(user.accessToken);
    const counting = countingSql();
    const reads = new BearerSessionReads(counting.sql);

    expect((await reads.find(sessionId))?.session.revokedAt).toBeNull();
    await server.prisma.session.update({ where: { id: sessionId }, data: { revokedAt: new Date(), revokedReason: 'LOGOUT' } });

    expect((await reads.find(sessionId))?.session.revokedAt).toBeInstanceOf(Date);
    expect(counting.statements()).toBe(2);
  });
});

describe('many callers at once over HTTP', () => {
  it('answers each request as its own session, and refuses only the one that logged out', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => signUp(server)));
    const loggedOut = users[2];
    expect((await server.graphql(LOGOUT, {}, { token: loggedOut.accessToken })).errors).toBeUndefined();

    const callers = [...users, ...users].reverse();
    const answers = await Promise.all(callers.map((user) => server.graphql(ME_ID, {}, { token: user.accessToken })));

    answers.forEach((answer, index) => {
      if (callers[index] === loggedOut) return expectAccessTokenRefused(answer, 'SESSION_REVOKED');
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.me).toEqual({ id: callers[index].userId });
    });
  });
});
