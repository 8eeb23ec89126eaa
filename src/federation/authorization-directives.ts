import { Kind, getNamedType, parseConstValue, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import type { ConstDirectiveNode, DocumentNode, FieldDefinitionNode, GraphQLNamedType, GraphQLSchema, ObjectTypeDefinitionNode } from 'graphql';
import { tokenRequirementOf } from '../permissions/rule-metadata';
import type { ShieldRule } from '../permissions/rule-metadata';
import type { TokenRequirement } from '../permissions/token-requirement';

type PermissionTable = Readonly<Record<string, Readonly<Record<string, ShieldRule>>>>;

/**
 * The Federation 2.5 authorization directives for each field, derived from the same rules graphql-shield
 * enforces, so a router (Apollo Router's authorization plugin) refuses early what we would refuse anyway.
 *
 * A router judges the token the request *arrived* with. Types a sign-in mutation returns (AuthPayload's
 * user, account, memberships …) are read with the session that mutation just opened, so for them the
 * incoming token proves nothing either way: they carry no directive and our rules alone decide.
 */
export function routerRequirements(schema: GraphQLSchema, permissions: PermissionTable): Map<string, TokenRequirement> {
  const readWithNewSession = typesReachableFrom(signInMutations(schema));
  const requirements = new Map<string, TokenRequirement>();
  for (const [typeName, fields] of Object.entries(permissions)) {
    if (readWithNewSession.has(typeName)) continue;
    for (const [fieldName, rule] of Object.entries(fields)) {
      const requirement = tokenRequirementOf(rule);
      if (requirement.signedIn || requirement.scopes) requirements.set(`${typeName}.${fieldName}`, requirement);
    }
  }
  return requirements;
}

/** Adds @authenticated and @requiresScopes to the field definitions of an SDL document. */
export function withAuthorizationDirectives(document: DocumentNode, requirements: ReadonlyMap<string, TokenRequirement>): DocumentNode {
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ? annotateType(definition, requirements) : definition,
    ),
  };
}

function annotateType(type: ObjectTypeDefinitionNode, requirements: ReadonlyMap<string, TokenRequirement>): ObjectTypeDefinitionNode {
  const fields = type.fields?.map((field): FieldDefinitionNode => {
    const requirement = requirements.get(`${type.name.value}.${field.name.value}`);
    return requirement ? { ...field, directives: [...(field.directives ?? []), ...directivesFor(requirement)] } : field;
  });
  return { ...type, fields };
}

function directivesFor(requirement: TokenRequirement): ConstDirectiveNode[] {
  const directives: ConstDirectiveNode[] = [];
  if (requirement.signedIn) directives.push(directive('authenticated'));
  if (requirement.scopes) {
    // A list of lists of strings is written the same in JSON and in GraphQL.
    const scopes = parseConstValue(JSON.stringify(requirement.scopes));
    directives.push(directive('requiresScopes', [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'scopes' }, value: scopes }]));
  }
  return directives;
}

const directive = (name: string, args: ConstDirectiveNode['arguments'] = []): ConstDirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: name },
  arguments: args,
});

/** The type whose return means "signed in": resolvers hand it to `actAs` (graphql/viewer.ts), replacing the viewer. */
const SIGNED_IN_PAYLOAD = 'AuthPayload';

/** Mutations that can answer an AuthPayload, directly or as a member of a union (LoginResult). */
function signInMutations(schema: GraphQLSchema): GraphQLNamedType[] {
  const results = Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => getNamedType(field.type));
  const signIns = results.filter((type) => type.name === SIGNED_IN_PAYLOAD || (isUnionType(type) && type.getTypes().some((member) => member.name === SIGNED_IN_PAYLOAD)));
  if (signIns.length === 0) throw new Error(`No mutation returns ${SIGNED_IN_PAYLOAD}: the sign-in payload was renamed?`);
  return signIns;
}

/** Every named type a client can reach from the given types. */
function typesReachableFrom(roots: readonly GraphQLNamedType[]): Set<string> {
  const pending = [...roots];
  const seen = new Set<string>();
  for (let type = pending.pop(); type; type = pending.pop()) {
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) pending.push(...Object.values(type.getFields()).map((field) => getNamedType(field.type)));
    if (isUnionType(type)) pending.push(...type.getTypes());
  }
  return seen;
}
