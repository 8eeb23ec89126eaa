import { AUTH_PAYLOAD_FIELDS, ME_ID } from './documents';
import type { AuthPayload } from './documents';
import { addMember, loginTo, signUp } from './factories';
import type { SignedUpUser } from './factories';
import { typedDocument } from './graphql-client';
import type { TestServer } from './test-server';

/** The account-lifecycle operations (src/account-lifecycle/), for the tests in test/accounts/. */

export const CREATE_ACCOUNT = typedDocument<{ createAccount: AuthPayload }>(
  `mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
);

export const UPDATE_ACCOUNT = typedDocument<{ updateAccount: { id: string; name: string } }>(
  `mutation Update($input: UpdateAccountInput!) { updateAccount(input: $input) { id name } }`,
);

export const LEAVE_ACCOUNT = typedDocument<{ leaveAccount: boolean }>(`mutation Leave($accountId: ID!) { leaveAccount(accountId: $accountId) }`);

export const DELETE_ACCOUNT = typedDocument<{ deleteAccount: boolean }>(`mutation Delete($input: DeleteAccountInput!) { deleteAccount(input: $input) }`);

export interface OwnershipTransfer {
  id: string;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'CANCELLED' | 'EXPIRED';
  account: { id: string };
  sender: { id: string };
  recipient: { id: string };
  expiresAt: string;
}

const TRANSFER_FIELDS = 'id status account { id } sender { id } recipient { id } expiresAt';

export const TRANSFER_OWNERSHIP = typedDocument<{ transferOwnership: OwnershipTransfer }>(
  `mutation Transfer($input: TransferOwnershipInput!) { transferOwnership(input: $input) { ${TRANSFER_FIELDS} } }`,
);

export const MY_OWNERSHIP_TRANSFERS = typedDocument<{ myOwnershipTransfers: OwnershipTransfer[] }>(`query Mine { myOwnershipTransfers { ${TRANSFER_FIELDS} } }`);

export const ACCEPT_TRANSFER = typedDocument<{ acceptOwnershipTransfer: { id: string; name: string } }>(
  `mutation AcceptTransfer($id: ID!) { acceptOwnershipTransfer(id: $id) { id name } }`,
);

export const DECLINE_TRANSFER = typedDocument<{ declineOwnershipTransfer: boolean }>(`mutation DeclineTransfer($id: ID!) { declineOwnershipTransfer(id: $id) }`);

export const CANCEL_TRANSFER = typedDocument<{ cancelOwnershipTransfer: boolean }>(`mutation CancelTransfer($id: ID!) { cancelOwnershipTransfer(id: $id) }`);

/** A signed-up user with tokens for the team account (`accountId`); `ownAccountId` is the one their sign-up made. */
export type TeamMember = SignedUpUser & { readonly ownAccountId: string };

/**
 * An account owned by `owner` with members of the roles given, each signed into it (their own sign-up
 * account stays theirs too). The owner's token is their sign-up session's.
 */
export async function accountWith(server: TestServer, roles: readonly string[]): Promise<{ owner: SignedUpUser; members: TeamMember[] }> {
  const owner = await signUp(server, { accountName: 'Team Account' });
  const members: TeamMember[] = [];
  for (const role of roles) {
    const user = await signUp(server);
    await addMember(server, owner, user, role);
    const session = await loginTo(server, user, owner.accountId);
    members.push({ ...user, ownAccountId: user.accountId, accountId: owner.accountId, accessToken: session.accessToken, refreshToken: session.refreshToken });
  }
  return { owner, members };
}

/** Whether an access token still gets through: `me` with it answers the user, or an error. */
export async function isTokenAccepted(server: TestServer, accessToken: string): Promise<boolean> {
  const response = await server.graphql(ME_ID, {}, { token: accessToken });
  return response.errors === undefined && response.data?.me != null;
}

/** The owners of an account as stored now. */
export const ownersOf = (server: TestServer, accountId: string) =>
  server.prisma.membership.findMany({ where: { accountId, roleName: 'owner' }, select: { userId: true } }).then((rows) => rows.map((row) => row.userId).sort());
