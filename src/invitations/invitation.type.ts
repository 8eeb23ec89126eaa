import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AccountType } from '../accounts/account.type';

export enum InvitationStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(InvitationStatus, { name: 'InvitationStatus', description: 'Where an invitation stands.' });

@ObjectType('Invitation', {
  description: 'An invitation to join an account, mailed to an address. The person becomes a member only by accepting it.',
})
export class InvitationType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The address invited: only a user who has verified it can accept.' })
  email!: string;

  @Field(() => String, { description: 'The role the person gets on accepting.' })
  role!: string;

  @Field(() => InvitationStatus)
  status!: InvitationStatus;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => AccountType)
  account!: AccountType;
}
