import type { Membership, PrismaClient, User } from '../generated/prisma/client';

/**
 * Who belongs where, read as the database holds it now: the reads behind `account`, `Account.members`
 * and `User.memberships`. Changing memberships is members/ (MembershipService) and invitations/.
 */
export class MembershipDirectory {
  constructor(private readonly prisma: PrismaClient) {}

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return this.prisma.membership.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  membersOfAccount(accountId: string): Promise<(Membership & { user: User })[]> {
    return this.prisma.membership.findMany({
      where: { accountId },
      include: { user: true },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    });
  }

  findMembership(userId: string, accountId: string): Promise<Membership | null> {
    return this.prisma.membership.findUnique({ where: { userId_accountId: { userId, accountId } } });
  }
}
