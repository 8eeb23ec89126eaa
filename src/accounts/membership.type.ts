import { Field, ObjectType } from 'type-graphql';

@ObjectType('Membership', { description: "A user's place in an account, with their role there." })
export class MembershipType {
  @Field(() => String)
  role!: string;

  @Field(() => Date)
  createdAt!: Date;
}
