import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import type { User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import { UserType } from '../users/user.type';
import type { EmailChangeService } from './email-change.service';
import type { UserDeletionService } from './user-deletion.service';
import { ChangeEmailInput, DeleteMyUserInput } from './user-lifecycle.inputs';

/** The services these resolvers reach through the context. */
type UserLifecycleContext = GraphQLContext<{ readonly emailChange: EmailChangeService; readonly userDeletion: UserDeletionService }>;

@Resolver()
export class UserLifecycleResolver {
  @Mutation(() => Boolean, {
    description:
      'Needs the current password. Mails a confirmation link to the new address and a notice to the current one. True whether or not the new address is free: nobody learns from it who has an account.',
  })
  @ChecksCredential()
  changeEmail(@Arg('input', () => ChangeEmailInput) input: ChangeEmailInput, @Ctx() context: UserLifecycleContext): Promise<boolean> {
    return context.services.emailChange.request(requireViewer(context), input, context.request);
  }

  @Mutation(() => UserType, {
    description:
      'Switches to the address the link was mailed to, now verified, if it is still free (EMAIL_TAKEN otherwise). Works without a session: the link is the proof. Ends every session of the user.',
  })
  @ChecksCredential()
  async confirmEmailChange(@Arg('token', () => String) token: string, @Ctx() context: UserLifecycleContext): Promise<User> {
    const user = await context.services.emailChange.confirm(token, context.request);
    context.provenUserIds.add(user.id);
    return user;
  }

  @Mutation(() => Boolean, {
    description:
      'Needs the current password. Deletes the signed-in user, their memberships and the accounts they alone belong to; their tokens stop working at once. Refused (FORBIDDEN, LAST_OWNER) while they are the last owner of an account with other members.',
  })
  @ChecksCredential()
  deleteMyUser(@Arg('input', () => DeleteMyUserInput) input: DeleteMyUserInput, @Ctx() context: UserLifecycleContext): Promise<boolean> {
    return context.services.userDeletion.deleteMyUser(requireViewer(context), input, context.request);
  }
}
