import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, printSchema } from 'graphql';
import type { DocumentNode, GraphQLSchema, ObjectTypeDefinitionNode } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { badUserInput } from '../errors';
import { permissionMap } from '../permissions/permissions';
import { routerRequirements, withAuthorizationDirectives } from './authorization-directives';
import { ENTITY_KEYS, referenceResolvers } from './entity-references';

export interface SubgraphOptions {
  /**
   * Publish @authenticated/@requiresScopes (FEDERATION_AUTHORIZATION_DIRECTIVES): for a router that
   * enforces them. Without them the SDL is what any Federation 2 gateway composes; the rules are the same.
   */
  readonly authorizationDirectives: boolean;
}

/** What Gatehouse serves unless configured otherwise: the SDL every gateway accepts. */
export const DEFAULT_SUBGRAPH_OPTIONS: SubgraphOptions = { authorizationDirectives: false };

/**
 * Federation 2.5 is the first version with the authorization directives; routers from then on understand
 * all of it. Only what the SDL uses is imported: an imported feature is a feature a gateway must support.
 */
function federationLink({ authorizationDirectives }: SubgraphOptions): DocumentNode {
  const imports = authorizationDirectives ? ['@key', '@authenticated', '@requiresScopes'] : ['@key'];
  return parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ${JSON.stringify(imports)})`);
}

/**
 * The type-graphql schema as an Apollo Federation 2 subgraph: its SDL with @key on the entities and,
 * when asked, the authorization directives derived from the permission rules, executed by type-graphql's
 * own resolvers plus the entities' reference resolvers.
 */
export function buildGatehouseSubgraph(typeGraphqlSchema: GraphQLSchema, options: SubgraphOptions): GraphQLSchema {
  const keyed = withEntityKeys(parse(printSchema(typeGraphqlSchema)));
  const typeDefs = options.authorizationDirectives ? withAuthorizationDirectives(keyed, routerRequirements(typeGraphqlSchema, permissionMap)) : keyed;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, object>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference };
  }
  // The resolver map's type is looser than what buildSubgraphSchema declares; its shape is what it expects.
  const subgraph = buildSubgraphSchema({ typeDefs: { ...typeDefs, definitions: [...federationLink(options).definitions, ...typeDefs.definitions] }, resolvers: resolvers as never });
  checkRepresentationsFirst(subgraph);
  keepFieldExtensions(typeGraphqlSchema, subgraph);
  return subgraph;
}

/**
 * The subgraph is built from printed SDL, which carries no field extensions; copy the root fields'
 * back (type-graphql's @Extensions: ChecksCredential, read by the request limits from the schema).
 */
function keepFieldExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const [source, target] of [
    [from.getQueryType(), to.getQueryType()],
    [from.getMutationType(), to.getMutationType()],
  ] as const) {
    const targetFields = target?.getFields() ?? {};
    for (const [name, field] of Object.entries(source?.getFields() ?? {})) {
      const copy = targetFields[name];
      if (copy) copy.extensions = { ...copy.extensions, ...field.extensions };
    }
  }
}

/**
 * References one `_entities` request may carry. A gateway sends the distinct references of one query
 * plan step (a page of reviews names its authors once each); without a bound, one 100 kB request of a
 * thousand user ids made every field rule run a thousand times over (over a second of CPU).
 */
export const MAX_REPRESENTATIONS = 200;

/**
 * `_entities` throws a plain Error for a representation of a type that is not an entity, which would
 * be masked as INTERNAL_SERVER_ERROR: a malformed request is the caller's fault, so say so. Too many
 * representations are refused the same way, before any is resolved.
 */
function checkRepresentationsFirst(subgraph: GraphQLSchema): void {
  const entities = subgraph.getQueryType()?.getFields()._entities;
  const resolve = entities?.resolve;
  if (!entities || !resolve) throw new Error('buildSubgraphSchema did not add Query._entities');
  entities.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    if (representations.length > MAX_REPRESENTATIONS) {
      throw badUserInput('representations', `At most ${MAX_REPRESENTATIONS} representations per request.`);
    }
    for (const representation of representations) {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      if (typeof typename !== 'string' || !Object.hasOwn(ENTITY_KEYS, typename)) {
        throw badUserInput('representations', `Each representation needs a __typename of ${Object.keys(ENTITY_KEYS).join(' or ')}.`);
      }
    }
    return resolve(source, args, context, info);
  };
}

function withEntityKeys(document: DocumentNode): DocumentNode {
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      const key = definition.kind === Kind.OBJECT_TYPE_DEFINITION ? ENTITY_KEYS[definition.name.value] : undefined;
      if (!key) return definition;
      const keyDirective = {
        kind: Kind.DIRECTIVE,
        name: { kind: Kind.NAME, value: 'key' },
        arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: key } }],
      } as const;
      const type = definition as ObjectTypeDefinitionNode;
      return { ...type, directives: [...(type.directives ?? []), keyDirective] };
    }),
  };
}
