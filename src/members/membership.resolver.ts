import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { AccountType } from '../accounts/account.type';
import { MembershipType } from '../accounts/membership.type';
import type { Account, Membership, User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import { UserType } from '../users/user.type';
import { RemoveMemberInput, SetMemberRoleInput } from './membership.inputs';
import type { MembershipService } from './membership.service';

/** The services these resolvers reach through the context. */
type MembershipContext = GraphQLContext<{ readonly memberships: MembershipService }>;

type MembershipRecord = Membership & { user?: User; account?: Account };

@Resolver(() => MembershipType)
export class MembershipResolver {
  @Mutation(() => MembershipType, {
    description: 'Needs members:u. Nobody grants a role with rights they do not hold (only owners make owners), and the last owner cannot be demoted.',
  })
  setMemberRole(@Arg('input', () => SetMemberRoleInput) input: SetMemberRoleInput, @Ctx() context: MembershipContext): Promise<MembershipRecord> {
    return context.services.memberships.setMemberRole(requireViewer(context), input, context.request);
  }

  @Mutation(() => Boolean, { description: "Needs members:d. Ends the member's sessions in that account at once." })
  removeMember(@Arg('input', () => RemoveMemberInput) input: RemoveMemberInput, @Ctx() context: MembershipContext): Promise<boolean> {
    return context.services.memberships.removeMember(requireViewer(context), input, context.request);
  }

  @FieldResolver(() => String)
  role(@Root() membership: MembershipRecord): string {
    return membership.roleName;
  }

  @FieldResolver(() => UserType)
  async user(@Root() membership: MembershipRecord, @Ctx() context: MembershipContext): Promise<User> {
    return membership.user ?? ((await context.loaders.users.load(membership.userId)) as User);
  }

  @FieldResolver(() => AccountType)
  async account(@Root() membership: MembershipRecord, @Ctx() context: MembershipContext): Promise<Account> {
    return membership.account ?? ((await context.loaders.accounts.load(membership.accountId)) as Account);
  }
}
