import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import type { User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import type { EmailVerificationService } from './email-verification.service';
import { UserType } from './user.type';

/** The services these resolvers reach through the context. */
type EmailVerificationContext = GraphQLContext<{ readonly emailVerification: EmailVerificationService }>;

@Resolver()
export class EmailVerificationResolver {
  @Mutation(() => UserType, { description: 'Confirms the address the link was sent to. Works without a session: the link is the proof.' })
  @ChecksCredential()
  async verifyEmail(@Arg('token', () => String) token: string, @Ctx() context: EmailVerificationContext): Promise<User> {
    const user = await context.services.emailVerification.verify(token, context.request);
    context.provenUserIds.add(user.id);
    return user;
  }

  @Mutation(() => Boolean, { description: 'Sends a fresh verification link; earlier links stop working.' })
  @ChecksCredential()
  resendVerification(@Ctx() context: EmailVerificationContext): Promise<boolean> {
    return context.services.emailVerification.resend(requireViewer(context).userId, context.request);
  }
}
