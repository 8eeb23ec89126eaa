import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import { AccountType } from '../accounts/account.type';
import { AuthPayloadType } from '../auth/auth.payloads';
import type { Account } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { actAs, requireViewer } from '../graphql/viewer';
import type { SessionGrant } from '../sessions/session-grant';
import type { AccountCreationService } from './account-creation.service';
import { CreateAccountInput, DeleteAccountInput, UpdateAccountInput } from './account-lifecycle.inputs';
import type { AccountLifecycleService } from './account-lifecycle.service';

/** The services these resolvers reach through the context. */
type AccountLifecycleContext = GraphQLContext<{ readonly accountCreation: AccountCreationService; readonly accountLifecycle: AccountLifecycleService }>;

@Resolver()
export class AccountLifecycleResolver {
  @Mutation(() => AuthPayloadType, {
    description:
      'A new account you own (verified email needed; at most MAX_OWNED_ACCOUNTS_PER_USER owned), answered with a session in it: your current session ends, as with switchAccount. With no account left, send the selection token of your login instead of a bearer token.',
  })
  // With a selection token it checks a credential.
  @ChecksCredential()
  createAccount(@Arg('input', () => CreateAccountInput) input: CreateAccountInput, @Ctx() context: AccountLifecycleContext): Promise<SessionGrant> {
    const { accountCreation } = context.services;
    const { selectionToken } = input;
    const grant =
      selectionToken == null
        ? accountCreation.createForSession(requireViewer(context), input, context.request)
        : accountCreation.createAfterSelection({ name: input.name, selectionToken }, context.request);
    return grant.then((started) => actAs(context, started));
  }

  @Mutation(() => AccountType, { description: 'Renames the account. Needs account:u.' })
  updateAccount(@Arg('input', () => UpdateAccountInput) input: UpdateAccountInput, @Ctx() context: AccountLifecycleContext): Promise<Account> {
    return context.services.accountLifecycle.updateAccount(requireViewer(context), input, context.request);
  }

  @Mutation(() => Boolean, { description: 'Leaves an account you belong to; your sessions there end at once. Its last owner cannot leave (LAST_OWNER).' })
  leaveAccount(@Arg('accountId', () => ID) accountId: string, @Ctx() context: AccountLifecycleContext): Promise<boolean> {
    return context.services.accountLifecycle.leaveAccount(requireViewer(context), accountId, context.request);
  }

  @Mutation(() => Boolean, {
    description: "Owners only, with the account's exact name and your current password: deletes the account, its memberships, sessions and invitations. Its audit log is kept.",
  })
  @ChecksCredential()
  deleteAccount(@Arg('input', () => DeleteAccountInput) input: DeleteAccountInput, @Ctx() context: AccountLifecycleContext): Promise<boolean> {
    return context.services.accountLifecycle.deleteAccount(requireViewer(context), input, context.request);
  }
}
