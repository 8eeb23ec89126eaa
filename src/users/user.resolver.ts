import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MembershipType } from '../accounts/membership.type';
import type { GraphQLContext } from '../context';
import type { Membership, User } from '../generated/prisma/client';
import { UserType } from './user.type';

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  async me(@Ctx() context: GraphQLContext): Promise<User | null> {
    return context.viewer ? context.loaders.users.load(context.viewer.userId) : null;
  }

  @FieldResolver(() => Boolean)
  emailVerified(@Root() user: User): boolean {
    return user.emailVerifiedAt !== null;
  }

  @FieldResolver(() => [MembershipType], { description: 'Visible to the user themself and to admins of an account they share.' })
  memberships(@Root() user: User, @Ctx() context: GraphQLContext): Promise<Membership[]> {
    return context.services.memberships.membershipsOfUser(user.id);
  }
}
