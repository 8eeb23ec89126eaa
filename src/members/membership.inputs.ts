import { Field, ID, InputType } from 'type-graphql';

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
