import { Field, ID, InputType } from 'type-graphql';

@InputType('InviteMemberInput')
export class InviteMemberInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'Where the invitation is mailed; whether anyone has an account with it is never revealed.' })
  email!: string;

  @Field(() => String, { description: 'A built-in role or one of the account’s own, within your own rights.' })
  role!: string;
}

@InputType('AddMemberInput', { description: 'What addMember, now an alias of inviteMember, takes: the same fields.' })
export class AddMemberInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'Where the invitation is mailed.' })
  email!: string;

  @Field(() => String)
  role!: string;
}
