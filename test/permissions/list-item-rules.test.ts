import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Per-item rules on a member list: User.email is anyOf(isSelf, isAdminOfSharedAccount). The list
// itself proves each user belongs to the account, so an admin's view of the emails must cost no
// query beyond the list's own, while every refusal still goes through the rule.

let server: TestServer;
beforeAll(async () => {
  // trace logs every SQL statement: the assertions count them.
  server = await startTestServer({ LOG_LEVEL: 'trace' });
});
afterAll(() => server.close());

const MEMBER_IDS = `query Members($id: ID!) { account(id: $id) { members { user { id } } } }`;
const MEMBER_EMAILS = `query Members($id: ID!) { account(id: $id) { members { user { id email } } } }`;

/**
 * The SQL statements `query` ran, as the trace log reports them: those logged with its request id, since
 * the instance's own background work (the webhook dispatcher's poll) may log one meanwhile.
 */
async function statementsOf(query: string, variables: Record<string, unknown>, token: string): Promise<{ data: unknown; statements: string[] }> {
  const before = server.logs.length;
  const response = await server.graphql(query, variables, { token });
  expect(response.errors).toBeUndefined();
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  const statements = server.logs
    .slice(before)
    .map((line) => JSON.parse(line) as { msg: string; sql?: string; requestId?: string })
    .filter((entry) => entry.msg === 'database query' && entry.requestId === requestId)
    .map((entry) => entry.sql!);
  return { data: response.data, statements };
}

async function accountWithMembers(count: number): Promise<{ owner: SignedUpUser; members: SignedUpUser[] }> {
  const owner = await signUp(server);
  const members: SignedUpUser[] = [];
  for (let index = 0; index < count; index++) {
    const member = await signUp(server);
    await addMember(server, owner, member, 'member');
    members.push(member);
  }
  return { owner, members };
}

it("shows an admin every member's email for no query beyond the list's own", async () => {
  const { owner, members } = await accountWithMembers(3);

  const ids = await statementsOf(MEMBER_IDS, { id: owner.accountId }, owner.accessToken);
  const emails = await statementsOf(MEMBER_EMAILS, { id: owner.accountId }, owner.accessToken);

  expect(emails.statements).toHaveLength(ids.statements.length);
  const listed = (emails.data as { account: { members: { user: { email: string } }[] } }).account.members.map((member) => member.user.email);
  expect(listed.sort()).toEqual([owner, ...members].map((user) => user.email).sort());
});

it('still refuses the emails to a member without members:u', async () => {
  const { owner, members } = await accountWithMembers(2);
  const viewer = { ...members[0]!, accessToken: (await loginTo(server, members[0]!, owner.accountId)).accessToken };

  const response = await server.graphql(MEMBER_EMAILS, { id: owner.accountId }, { token: viewer.accessToken });

  // email is non-null, so the first refusal nulls the list: one error, and no one else's email anywhere.
  expect(response.errors?.map((error) => [error.extensions?.code, error.path?.at(-1)])).toEqual([['FORBIDDEN', 'email']]);
  expect(JSON.stringify(response.data)).not.toContain(owner.email);
  expect(JSON.stringify(response.data)).not.toContain(members[1]!.email);
});
