import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import type { PasswordService } from './password.service';

/** The services these resolvers reach through the context. */
type PasswordContext = GraphQLContext<{ readonly passwords: PasswordService }>;

@Resolver()
export class PasswordResolver {
  @Mutation(() => Boolean, { description: 'Always true: mails a reset link if the address has an account.' })
  @ChecksCredential()
  requestPasswordReset(@Arg('email', () => String) email: string, @Ctx() context: PasswordContext): Promise<boolean> {
    return context.services.passwords.requestReset(email, context.request);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with a reset link; ends every session of the user.' })
  @ChecksCredential()
  resetPassword(
    @Arg('token', () => String) token: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() context: PasswordContext,
  ): Promise<boolean> {
    return context.services.passwords.resetPassword(token, newPassword, context.request);
  }

  @Mutation(() => Boolean, { description: "Needs the current password; ends the user's other sessions." })
  @ChecksCredential()
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() context: PasswordContext,
  ): Promise<boolean> {
    return context.services.passwords.changePassword(requireViewer(context), currentPassword, newPassword, context.request);
  }
}
