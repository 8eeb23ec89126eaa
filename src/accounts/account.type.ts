import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('Account', { description: 'A tenant: the organisation or workspace a user works in.' })
export class AccountType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Boolean, { description: 'Owners and admins must have two-factor authentication on to log into this account.' })
  requireTwoFactor!: boolean;
}
