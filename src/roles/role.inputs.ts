import { Field, ID, InputType } from 'type-graphql';

@InputType('PermissionInput', { description: 'Operations on one feature: access is letters of "crud", e.g. "r" or "cru".' })
export class PermissionInput {
  @Field(() => String)
  feature!: string;

  @Field(() => String)
  access!: string;
}

@InputType('CreateRoleInput')
export class CreateRoleInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'Lower case letters, digits, "-" and "_"; not a built-in role name.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [PermissionInput], { description: 'Each within your own permissions in the account.' })
  permissions!: PermissionInput[];
}

@InputType('UpdateRoleInput', { description: 'Changes what is given; a field left out stays as it is.' })
export class UpdateRoleInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [PermissionInput], { nullable: true, description: 'Replaces the whole list; each within your own permissions.' })
  permissions?: PermissionInput[] | null;
}

@InputType('DeleteRoleInput')
export class DeleteRoleInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The role its members (and pending invitations) move to, in the same transaction: needed while anyone holds it.",
  })
  replacement?: string | null;
}
