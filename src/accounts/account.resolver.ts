import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Account, Membership } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { idField, parseInput } from '../graphql/input-validation';
import { requireViewer } from '../graphql/viewer';
import { AccountType } from './account.type';
import type { MembershipDirectory } from './membership-directory';
import { MembershipType } from './membership.type';

/** The services these resolvers reach through the context. */
type AccountContext = GraphQLContext<{ readonly membershipDirectory: MembershipDirectory }>;

@Resolver(() => AccountType)
export class AccountResolver {
  @Query(() => AccountType, { nullable: true, description: 'An account you belong to; null for any other id, existing or not.' })
  async account(@Arg('id', () => ID) id: string, @Ctx() context: AccountContext): Promise<Account | null> {
    const viewer = requireViewer(context);
    const accountId = parseInput(idField, id, 'id');
    // Not a member and no such account look the same, so ids cannot be probed.
    const membership = await context.services.membershipDirectory.findMembership(viewer.userId, accountId);
    return membership ? context.loaders.accounts.load(accountId) : null;
  }

  @FieldResolver(() => [MembershipType], { description: 'Needs members:r in this account.' })
  async members(@Root() account: Account, @Ctx() context: AccountContext): Promise<Membership[]> {
    const members = await context.services.membershipDirectory.membersOfAccount(account.id);
    // Each member's fields are guarded by rules that ask whether the user belongs to this account: the list itself says so.
    context.loaders.memberships.remember(members);
    return members;
  }
}
