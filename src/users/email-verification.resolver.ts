import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import type { User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import { UserType } from './user.type';

@Resolver()
export class EmailVerificationResolver {
  @Mutation(() => UserType, { description: 'Confirms the address the link was sent to. Works without a session: the link is the proof.' })
  @ChecksCredential()
  async verifyEmail(@Arg('token', () => String) token: string, @Ctx() context: GraphQLContext): Promise<User> {
    const user = await context.services.emailVerification.verify(token, context.request);
    context.provenUserIds.add(user.id);
    return user;
  }

  @Mutation(() => Boolean, { description: 'Sends a fresh verification link; earlier links stop working.' })
  @ChecksCredential()
  resendVerification(@Ctx() context: GraphQLContext): Promise<boolean> {
    return context.services.emailVerification.resend(requireViewer(context).userId, context.request);
  }
}
