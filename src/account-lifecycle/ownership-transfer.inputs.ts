import { Field, ID, InputType } from 'type-graphql';

@InputType('TransferOwnershipInput')
export class TransferOwnershipInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID, { description: 'A current member of the account, who becomes an owner on accepting.' })
  userId!: string;

  @Field(() => String)
  currentPassword!: string;

  @Field(() => String, { nullable: true, description: 'A current TOTP or recovery code: required when you have two-factor authentication on.' })
  twoFactorCode?: string | null;
}
