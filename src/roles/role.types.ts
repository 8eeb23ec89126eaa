import { Field, Int, ObjectType } from 'type-graphql';
import { PermissionType } from '../accounts/permission.type';

@ObjectType('RoleDefinition', { description: "A role members of an account can hold: one of the built-in ones, or the account's own." })
export class RoleDefinitionType {
  @Field(() => String, { description: 'Unique within the account; what Membership.role and the access token name.' })
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [PermissionType], { description: 'What the role grants, as far as the features declared now allow.' })
  permissions!: PermissionType[];

  @Field(() => Boolean, { description: 'True for owner, admin, member and guest, which every account has and nobody edits.' })
  builtIn!: boolean;

  @Field(() => Int, { description: 'How many members of the account hold it now.' })
  memberCount!: number;
}

@ObjectType('FeatureDefinition', {
  description: "A feature roles grant operations on: Gatehouse's own, or one the deploying team declared in the features file (FEATURES_FILE).",
})
export class FeatureDefinitionType {
  @Field(() => String, { description: 'What a permission and a scope name: `projects` in `projects:u`.' })
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'The operations it supports: a subset of "crud", in that order.' })
  operations!: string;

  @Field(() => Boolean, { description: "True for Gatehouse's own features (account, members, audit, invitations, roles)." })
  builtIn!: boolean;
}
