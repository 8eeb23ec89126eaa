import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { MembershipDirectory } from '../accounts/membership-directory';
import { MembershipType } from '../accounts/membership.type';
import type { Membership, User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { UserType } from './user.type';

/** The services these resolvers reach through the context. */
type UserContext = GraphQLContext<{ readonly membershipDirectory: MembershipDirectory }>;

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  async me(@Ctx() context: UserContext): Promise<User | null> {
    return context.viewer ? context.loaders.users.load(context.viewer.userId) : null;
  }

  @FieldResolver(() => Boolean)
  emailVerified(@Root() user: User): boolean {
    return user.emailVerifiedAt !== null;
  }

  @FieldResolver(() => [MembershipType], {
    description: "All of them to the user themself; to an admin of an account they share, only that account's membership.",
  })
  async memberships(@Root() user: User, @Ctx() context: UserContext): Promise<Membership[]> {
    const { viewer } = context;
    if (viewer?.userId === user.id || context.provenUserIds.has(user.id)) {
      const own = await context.services.membershipDirectory.membershipsOfUser(user.id);
      // Each names an account the user is in: the rules on those accounts' fields need ask nothing more.
      context.loaders.memberships.remember(own);
      return own;
    }
    // The rule let an admin of a shared account this far: which other tenants a person belongs to is not theirs to learn.
    if (!viewer) return [];
    const shared = await context.loaders.memberships.load({ userId: user.id, accountId: viewer.accountId });
    return shared ? [shared] : [];
  }
}
