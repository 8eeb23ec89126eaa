import {
  ACCEPT_TRANSFER,
  accountWith,
  CANCEL_TRANSFER,
  DECLINE_TRANSFER,
  DELETE_ACCOUNT,
  LEAVE_ACCOUNT,
  MY_OWNERSHIP_TRANSFERS,
  ownersOf,
  TRANSFER_OWNERSHIP,
} from '../support/account-lifecycle';
import type { TeamMember } from '../support/account-lifecycle';
import { SET_ROLE } from '../support/documents';
import { loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { codeIn, reasonIn } from '../support/graphql-errors';
import { roleIn } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const offer = (from: SignedUpUser, to: { userId: string }, password = from.password) =>
  server.graphql(TRANSFER_OWNERSHIP, { input: { accountId: from.accountId, userId: to.userId, currentPassword: password } }, { token: from.accessToken });

async function offered(from: SignedUpUser, to: { userId: string }): Promise<string> {
  const response = await offer(from, to);
  if (response.errors) throw new Error(`transferOwnership failed: ${JSON.stringify(response.errors)}`);
  return response.data!.transferOwnership.id;
}

const accept = (by: TeamMember | SignedUpUser, id: string) => server.graphql(ACCEPT_TRANSFER, { id }, { token: by.accessToken });

describe('transferOwnership', () => {
  it('changes nothing until the recipient accepts; then the recipient is owner and the sender admin', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const response = await offer(owner, member!);
    expect(response.errors).toBeUndefined();
    const transfer = response.data!.transferOwnership;
    expect(transfer).toMatchObject({ status: 'PENDING', account: { id: owner.accountId }, sender: { id: owner.userId }, recipient: { id: member!.userId } });
    expect(new Date(transfer.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(await roleIn(server, member!.userId, owner.accountId)).toBe('member');
    expect(await roleIn(server, owner.userId, owner.accountId)).toBe('owner');

    const listed = await server.graphql(MY_OWNERSHIP_TRANSFERS, {}, { token: member!.accessToken });
    expect(listed.data!.myOwnershipTransfers.map((each) => each.id)).toEqual([transfer.id]);
    expect((await server.graphql(MY_OWNERSHIP_TRANSFERS, {}, { token: owner.accessToken })).data!.myOwnershipTransfers).toEqual([]);

    const accepted = await accept(member!, transfer.id);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptOwnershipTransfer.id).toBe(owner.accountId);
    expect(await roleIn(server, member!.userId, owner.accountId)).toBe('owner');
    expect(await roleIn(server, owner.userId, owner.accountId)).toBe('admin');
    const types = (await server.prisma.authEvent.findMany({ where: { accountId: owner.accountId, type: { startsWith: 'OWNERSHIP_TRANSFER' } } })).map((event) => event.type);
    expect(types.sort()).toEqual(['OWNERSHIP_TRANSFER_ACCEPTED', 'OWNERSHIP_TRANSFER_OFFERED']);
    // Spent: it is no longer listed, and cannot be accepted twice.
    expect((await server.graphql(MY_OWNERSHIP_TRANSFERS, {}, { token: member!.accessToken })).data!.myOwnershipTransfers).toEqual([]);
    expect(reasonIn(await accept(member!, transfer.id))).toBe('OWNERSHIP_TRANSFER_CLOSED');
  });

  it("the demoted sender's old token no longer acts as an owner", async () => {
    const { owner, members } = await accountWith(server, ['member', 'member']);
    const [recipient, other] = members;
    expect((await accept(recipient!, await offered(owner, recipient!))).errors).toBeUndefined();
    const again = await offer(owner, other!);
    expect(codeIn(again)).toBe('FORBIDDEN');
    const name = (await server.prisma.account.findUniqueOrThrow({ where: { id: owner.accountId } })).name;
    const deleted = await server.graphql(DELETE_ACCOUNT, { input: { accountId: owner.accountId, confirmName: name, currentPassword: owner.password } }, { token: owner.accessToken });
    expect(codeIn(deleted)).toBe('FORBIDDEN');
    expect(await server.prisma.account.count({ where: { id: owner.accountId } })).toBe(1);
  });

  it('needs the current password, and counts a wrong one', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const wrong = await offer(owner, members[0]!, 'not-the-password-at-all');
    expect(codeIn(wrong)).toBe('UNAUTHENTICATED');
    expect(reasonIn(wrong)).toBe('INVALID_CREDENTIALS');
    expect(await server.prisma.ownershipTransfer.count({ where: { accountId: owner.accountId } })).toBe(0);
    expect(await server.prisma.authEvent.count({ where: { userId: owner.userId, type: 'LOGIN_FAILED', reason: 'WRONG_CURRENT_PASSWORD' } })).toBe(1);
  });

  it('is for owners only: an admin is refused', async () => {
    const { owner, members } = await accountWith(server, ['admin', 'member']);
    const [admin, member] = members;
    const response = await offer(admin!, member!);
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect(await server.prisma.ownershipTransfer.count({ where: { accountId: owner.accountId } })).toBe(0);
  });

  it('goes only to a current member: not to a user of another account, nor to a stranger, nor to an account the sender is not in', async () => {
    const { owner } = await accountWith(server, []);
    const other = await signUp(server);
    const toOutsider = await offer(owner, other);
    expect(codeIn(toOutsider)).toBe('NOT_FOUND');
    const toNobody = await offer(owner, { userId: '00000000-0000-4000-8000-000000000000' });
    expect(toNobody.errors?.[0]?.extensions).toEqual(toOutsider.errors?.[0]?.extensions);
    // Naming the other account's id: the session is not in it.
    const foreign = await server.graphql(
      TRANSFER_OWNERSHIP,
      { input: { accountId: other.accountId, userId: owner.userId, currentPassword: owner.password } },
      { token: owner.accessToken },
    );
    expect(codeIn(foreign)).toBe('FORBIDDEN');
    expect(await server.prisma.ownershipTransfer.count({ where: { accountId: { in: [owner.accountId, other.accountId] } } })).toBe(0);
  });
});

describe('accepting, declining and cancelling a transfer', () => {
  it("cannot accept, decline or cancel someone else's transfer: it answers as one that does not exist", async () => {
    const { owner, members } = await accountWith(server, ['member', 'member']);
    const [recipient, bystander] = members;
    const id = await offered(owner, recipient!);
    const outsider = await signUp(server);
    for (const caller of [bystander!, outsider]) {
      expect(codeIn(await accept(caller, id))).toBe('NOT_FOUND');
      expect(codeIn(await server.graphql(DECLINE_TRANSFER, { id }, { token: caller.accessToken }))).toBe('NOT_FOUND');
      expect(codeIn(await server.graphql(CANCEL_TRANSFER, { id }, { token: caller.accessToken }))).toBe('NOT_FOUND');
    }
    // The recipient cannot cancel it (that is the sender's), nor the sender accept it.
    expect(codeIn(await server.graphql(CANCEL_TRANSFER, { id }, { token: recipient!.accessToken }))).toBe('NOT_FOUND');
    expect(codeIn(await accept(owner, id))).toBe('NOT_FOUND');
    expect(await ownersOf(server, owner.accountId)).toEqual([owner.userId]);
  });

  it('a declined or cancelled transfer can no longer be accepted', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const declinedId = await offered(owner, member!);
    expect((await server.graphql(DECLINE_TRANSFER, { id: declinedId }, { token: member!.accessToken })).data).toEqual({ declineOwnershipTransfer: true });
    expect(reasonIn(await accept(member!, declinedId))).toBe('OWNERSHIP_TRANSFER_CLOSED');

    const cancelledId = await offered(owner, member!);
    expect((await server.graphql(CANCEL_TRANSFER, { id: cancelledId }, { token: owner.accessToken })).data).toEqual({ cancelOwnershipTransfer: true });
    expect(reasonIn(await accept(member!, cancelledId))).toBe('OWNERSHIP_TRANSFER_CLOSED');
    expect(await ownersOf(server, owner.accountId)).toEqual([owner.userId]);
    const types = await server.prisma.authEvent.findMany({ where: { accountId: owner.accountId, type: { in: ['OWNERSHIP_TRANSFER_DECLINED', 'OWNERSHIP_TRANSFER_CANCELLED'] } } });
    expect(types).toHaveLength(2);
  });

  it('expires after seven days', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const id = await offered(owner, member!);
    server.clock.advance(7 * 24 * 3600 + 1);
    try {
      // Logged in afresh: their sessions idled out over the same week.
      const later = await loginTo(server, member!, owner.accountId);
      expect((await server.graphql(MY_OWNERSHIP_TRANSFERS, {}, { token: later.accessToken })).data!.myOwnershipTransfers).toEqual([]);
      expect(reasonIn(await server.graphql(ACCEPT_TRANSFER, { id }, { token: later.accessToken }))).toBe('OWNERSHIP_TRANSFER_CLOSED');
    } finally {
      server.clock.advance(-(7 * 24 * 3600 + 1));
    }
    expect(await ownersOf(server, owner.accountId)).toEqual([owner.userId]);
  });

  it('is refused when the sender is no longer an owner by the time it is accepted', async () => {
    const { owner, members } = await accountWith(server, ['owner', 'member']);
    const [coOwner, member] = members;
    const id = await offered(coOwner!, member!);
    const demoted = await server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: coOwner!.userId, role: 'admin' } }, { token: owner.accessToken });
    expect(demoted.errors).toBeUndefined();
    const response = await accept(member!, id);
    expect(codeIn(response)).toBe('FORBIDDEN');
    expect(reasonIn(response)).toBe('OWNERSHIP_TRANSFER_CLOSED');
    expect(await roleIn(server, member!.userId, owner.accountId)).toBe('member');
  });

  it('is cancelled when its recipient leaves the account', async () => {
    const { owner, members } = await accountWith(server, ['member']);
    const [member] = members;
    const id = await offered(owner, member!);
    expect((await server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: member!.accessToken })).errors).toBeUndefined();
    expect((await server.prisma.ownershipTransfer.findUniqueOrThrow({ where: { id } })).cancelledAt).not.toBeNull();
  });
});

describe('an account under concurrent ownership changes', () => {
  it('never has zero owners: two owners each handing over and leaving at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, members } = await accountWith(server, ['owner', 'member', 'member']);
      const [coOwner, first, second] = members;
      const firstId = await offered(owner, first!);
      const secondId = await offered(coOwner!, second!);
      await Promise.all([
        accept(first!, firstId),
        accept(second!, secondId),
        server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: owner.accessToken }),
        server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: coOwner!.accessToken }),
      ]);
      expect((await ownersOf(server, owner.accountId)).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('never has zero owners: the only owner leaving while their transfer is accepted', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, members } = await accountWith(server, ['member']);
      const [member] = members;
      const id = await offered(owner, member!);
      const [accepted, left] = await Promise.all([accept(member!, id), server.graphql(LEAVE_ACCOUNT, { accountId: owner.accountId }, { token: owner.accessToken })]);
      const owners = await ownersOf(server, owner.accountId);
      expect(owners.length).toBeGreaterThanOrEqual(1);
      // Either the transfer came first (then the demoted sender may leave) or the leave was refused as the last owner's.
      if (left.errors) {
        expect(reasonIn(left)).toBe('LAST_OWNER');
        expect(accepted.errors).toBeUndefined();
      }
      expect(owners).toContain(member!.userId);
    }
  });

  it('never has zero owners: two owners accepting transfers to each other and demoting each other at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { owner, members } = await accountWith(server, ['owner', 'member']);
      const [coOwner, member] = members;
      const id = await offered(owner, member!);
      await Promise.all([
        accept(member!, id),
        server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: owner.userId, role: 'member' } }, { token: coOwner!.accessToken }),
        server.graphql(SET_ROLE, { input: { accountId: owner.accountId, userId: coOwner!.userId, role: 'member' } }, { token: owner.accessToken }),
      ]);
      expect((await ownersOf(server, owner.accountId)).length).toBeGreaterThanOrEqual(1);
    }
  });
});
