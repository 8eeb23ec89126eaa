import { Field, ObjectType } from 'type-graphql';

@ObjectType('Permission', { description: 'What the role may do to one feature.' })
export class PermissionType {
  @Field(() => String, { description: 'e.g. "members", "account", "billing", "audit".' })
  feature!: string;

  @Field(() => String, { description: 'A subset of "crud", in that order, e.g. "r" or "crud".' })
  access!: string;
}
