import { describeErrors } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import type { BenchContext, Measurement } from './scenario';
import { bareUrl, bearerHeaders, fullUrl, graphqlBody, inAlternatingOrder, measureLoad } from './scenario';

const MEMBERS = 'query Members($id: ID!) { account(id: $id) { members { user { id email } role } } }';
const CONNECTIONS = 4;

interface MembersData {
  account: { members: { user: { id: string; email: string | null }; role: string }[] } | null;
}

function membersRequest(url: string, accountId: string, expectedMembers: number, accessTokens: readonly string[]): LoadRequest<MembersData> {
  const body = graphqlBody(MEMBERS, { id: accountId });
  const headers = bearerHeaders(accessTokens);
  return {
    url,
    prepare: () => ({ body, headers: headers() }),
    check: (response) => {
      const errors = describeErrors(response);
      if (errors) return errors;
      const members = response.data?.account?.members;
      if (members?.length !== expectedMembers) return `expected ${expectedMembers} members, got ${members?.length}`;
      // The owner reads every email (admin of a shared account): a missing one would mean a rule denied it.
      return members.every((member) => typeof member.user.email === 'string') ? null : 'a member without an email';
    },
  };
}

export interface MemberListRound {
  /** Shield's per-field rules on every member, user, id, email and role. */
  readonly full: Measurement;
  /** The app built without the auth layer: no rules at all. */
  readonly bare: Measurement;
}

/** `account { members { user { id email } role } }` over the seeded account's members, shield on versus off. */
export async function measureMemberList(
  context: BenchContext,
  accessTokens: readonly string[],
  expectedMembers: number,
): Promise<MemberListRound> {
  const accountId = context.server.fixtures.listAccountId;
  const [full, bare] = await inAlternatingOrder(
    context.round,
    () => measureLoad(context, membersRequest(fullUrl(context), accountId, expectedMembers, accessTokens), { connections: CONNECTIONS }),
    () => measureLoad(context, membersRequest(bareUrl(context), accountId, expectedMembers, []), { connections: CONNECTIONS }),
  );
  return { full, bare };
}
