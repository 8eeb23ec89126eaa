import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('User', { description: 'A person who can sign in.' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Visible to the user themself and to admins of an account they share.' })
  email!: string;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}
