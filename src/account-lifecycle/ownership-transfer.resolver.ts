import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import { AccountType } from '../accounts/account.type';
import type { Account, OwnershipTransfer, User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import { UserType } from '../users/user.type';
import { TransferOwnershipInput } from './ownership-transfer.inputs';
import type { OwnershipTransferService, OwnershipTransferView } from './ownership-transfer.service';
import { OwnershipTransferType } from './ownership-transfer.type';

/** The services these resolvers reach through the context. */
type OwnershipTransferContext = GraphQLContext<{ readonly ownershipTransfers: OwnershipTransferService }>;

@Resolver(() => OwnershipTransferType)
export class OwnershipTransferResolver {
  @Mutation(() => OwnershipTransferType, {
    description: 'Owners only, with your current password: offers ownership to a current member. Nothing changes until they accept.',
  })
  @ChecksCredential()
  transferOwnership(@Arg('input', () => TransferOwnershipInput) input: TransferOwnershipInput, @Ctx() context: OwnershipTransferContext): Promise<OwnershipTransferView> {
    return context.services.ownershipTransfers.offer(requireViewer(context), input, context.request);
  }

  @Query(() => [OwnershipTransferType], { description: 'Ownership transfers offered to you and still open.' })
  myOwnershipTransfers(@Ctx() context: OwnershipTransferContext): Promise<OwnershipTransferView[]> {
    return context.services.ownershipTransfers.offeredTo(requireViewer(context).userId);
  }

  @Mutation(() => AccountType, { description: 'Accepts a transfer offered to you: you become an owner, the sender an admin.' })
  acceptOwnershipTransfer(@Arg('id', () => ID) id: string, @Ctx() context: OwnershipTransferContext): Promise<Account> {
    return context.services.ownershipTransfers.accept(requireViewer(context), id, context.request);
  }

  @Mutation(() => Boolean, { description: 'Turns down a transfer offered to you.' })
  declineOwnershipTransfer(@Arg('id', () => ID) id: string, @Ctx() context: OwnershipTransferContext): Promise<boolean> {
    return context.services.ownershipTransfers.decline(requireViewer(context), id, context.request);
  }

  @Mutation(() => Boolean, { description: 'Withdraws a transfer you offered.' })
  cancelOwnershipTransfer(@Arg('id', () => ID) id: string, @Ctx() context: OwnershipTransferContext): Promise<boolean> {
    return context.services.ownershipTransfers.cancel(requireViewer(context), id, context.request);
  }

  @FieldResolver(() => AccountType)
  async account(@Root() transfer: OwnershipTransfer, @Ctx() context: OwnershipTransferContext): Promise<Account> {
    return (await context.loaders.accounts.load(transfer.accountId)) as Account;
  }

  @FieldResolver(() => UserType)
  async sender(@Root() transfer: OwnershipTransfer, @Ctx() context: OwnershipTransferContext): Promise<User> {
    return (await context.loaders.users.load(transfer.fromUserId)) as User;
  }

  @FieldResolver(() => UserType)
  async recipient(@Root() transfer: OwnershipTransfer, @Ctx() context: OwnershipTransferContext): Promise<User> {
    return (await context.loaders.users.load(transfer.toUserId)) as User;
  }
}
