import { Field, ID, ObjectType } from 'type-graphql';
import { AccountType } from '../accounts/account.type';
import { UserType } from '../users/user.type';
import { OwnershipTransferStatus } from './ownership-transfer-status';

@ObjectType('OwnershipTransfer', {
  description: "An owner's offer to make a member an owner in their place. Nothing changes until the recipient accepts; the sender then becomes an admin.",
})
export class OwnershipTransferType {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountType)
  account!: AccountType;

  @Field(() => UserType, { description: 'The owner who offered it.' })
  sender!: UserType;

  @Field(() => UserType, { description: 'The member who may accept it.' })
  recipient!: UserType;

  @Field(() => OwnershipTransferStatus)
  status!: OwnershipTransferStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { description: 'Seven days after it was offered.' })
  expiresAt!: Date;
}
