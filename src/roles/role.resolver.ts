import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { FeatureDefinition } from '../accounts/features';
import type { RoleCatalog } from '../accounts/roles';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import { CreateRoleInput, DeleteRoleInput, UpdateRoleInput } from './role.inputs';
import type { RoleDefinition, RoleService } from './role.service';
import { FeatureDefinitionType, RoleDefinitionType } from './role.types';

/** The services these resolvers reach through the context. */
type RoleContext = GraphQLContext<{ readonly accountRoles: RoleService; readonly roles: RoleCatalog }>;

@Resolver()
export class RoleResolver {
  @Query(() => [FeatureDefinitionType], { description: "Every feature roles can grant operations on: Gatehouse's own, then the application's." })
  features(@Ctx() context: RoleContext): readonly FeatureDefinition[] {
    return context.services.roles.features.list();
  }

  @Query(() => [RoleDefinitionType], { description: "The account's roles: the built-in ones, then its own by name. Needs roles:r." })
  roles(@Arg('accountId', () => ID) accountId: string, @Ctx() context: RoleContext): Promise<RoleDefinition[]> {
    return context.services.accountRoles.list(accountId);
  }

  @Mutation(() => RoleDefinitionType, { description: 'A role of the account\'s own. Needs roles:c, and every permission within your own.' })
  createRole(@Arg('input', () => CreateRoleInput) input: CreateRoleInput, @Ctx() context: RoleContext): Promise<RoleDefinition> {
    return context.services.accountRoles.create(requireViewer(context), input, context.request);
  }

  @Mutation(() => RoleDefinitionType, {
    description: "Needs roles:u; the role and its new permissions within your own. Its members' next request sees the change.",
  })
  updateRole(@Arg('input', () => UpdateRoleInput) input: UpdateRoleInput, @Ctx() context: RoleContext): Promise<RoleDefinition> {
    return context.services.accountRoles.update(requireViewer(context), input, context.request);
  }

  @Mutation(() => Boolean, { description: 'Needs roles:d. While anyone holds the role, name a replacement: they move to it in the same transaction.' })
  deleteRole(@Arg('input', () => DeleteRoleInput) input: DeleteRoleInput, @Ctx() context: RoleContext): Promise<boolean> {
    return context.services.accountRoles.delete(requireViewer(context), input, context.request);
  }
}
