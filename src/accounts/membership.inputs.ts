import { Field, ID, InputType } from 'type-graphql';

@InputType('AddMemberInput')
export class AddMemberInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'The email of an existing user.' })
  email!: string;

  @Field(() => String)
  role!: string;
}

@InputType('SetMemberRoleInput')
export class SetMemberRoleInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  role!: string;
}

@InputType('RemoveMemberInput')
export class RemoveMemberInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  userId!: string;
}
