import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, parse, valueFromASTUntyped } from 'graphql';
import type { GraphQLField, GraphQLInputType, GraphQLSchema } from 'graphql';
import { withoutAuthorizationDirectives } from '../../examples/gateway/supergraph';
import { buildGatehouseSchema } from '../../src/schema';
import { addMember, loginTo, signUp } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { decodeJwtPayload } from '../support/tokens';

/** The directives a router reads on a field, as the subgraph SDL states them. */
interface RouterPolicy {
  readonly authenticated: boolean;
  readonly scopes: string[][] | null;
}

function policyOf(field: GraphQLField<unknown, unknown>): RouterPolicy {
  const directives = field.astNode?.directives ?? [];
  const scopes = directives.find((directive) => directive.name.value === 'requiresScopes')?.arguments?.[0]?.value;
  return {
    authenticated: directives.some((directive) => directive.name.value === 'authenticated'),
    scopes: scopes ? (valueFromASTUntyped(scopes) as string[][]) : null,
  };
}

/** A literal for a required argument: the caller's account where an accountId is asked for, harmless values elsewhere. */
function literalFor(type: GraphQLInputType, name: string, accountId: string): string {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return `[${literalFor(nullable.ofType, name, accountId)}]`;
  if (isEnumType(nullable)) return nullable.getValues()[0].name;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return `{ ${fields.map((field) => `${field.name}: ${literalFor(field.type, field.name, accountId)}`).join(', ')} }`;
  }
  if (name === 'accountId') return JSON.stringify(accountId);
  switch (nullable.name) {
    case 'Int':
      return '1';
    case 'Boolean':
      return 'true';
    case 'ID':
      return '"00000000-0000-4000-8000-000000000000"';
    default:
      return '"x"';
  }
}

/** `query { field(requiredArgs) { __typename } }` for one root field. */
function documentFor(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, accountId: string): string {
  const required = field.args.filter((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined);
  const args = required.length === 0 ? '' : `(${required.map((argument) => `${argument.name}: ${literalFor(argument.type, argument.name, accountId)}`).join(', ')})`;
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${operation} { ${field.name}${args}${selection} }`;
}

function rootFields(schema: GraphQLSchema) {
  const fields = [
    ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ operation: 'query' as const, field })),
    ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({ operation: 'mutation' as const, field })),
  ];
  return fields.filter(({ field }) => !field.name.startsWith('_'));
}

type Response = { errors?: readonly { message?: string; extensions?: Record<string, unknown> }[] };
const isSignInRefusal = (response: Response) =>
  response.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED' && error.extensions?.reason === 'INVALID_TOKEN') ?? false;

/** Fields that take a bearer token or, without one, credentials of their own: a router must let them through. */
const AUTHENTICATES_ITSELF: Record<string, string> = {
  logout: 'without a bearer token it takes the refresh token in its input',
  createAccount: 'without a bearer token it takes the selection token of a login that found no account in its input',
};

describe('the subgraph authorization directives', () => {
  let schema: GraphQLSchema;
  let server: TestServer;
  let owner: SignedUpUser;

  beforeAll(async () => {
    // The directives are published only when asked for (FEDERATION_AUTHORIZATION_DIRECTIVES); the rules are the same either way.
    schema = await buildGatehouseSchema({ authorizationDirectives: true });
    server = await startTestServer({ FEDERATION_AUTHORIZATION_DIRECTIVES: 'true' });
    owner = await signUp(server);
  });
  afterAll(() => server.close());

  it('compose into a supergraph that keeps them for a router to enforce', () => {
    const gatehouse = parse(readFileSync(path.join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
    const reviews = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
      type User @key(fields: "id") { id: ID! reviews: [String!]! }
      type Query { reviewCount: Int! }
    `);
    const result = composeServices([
      { name: 'gatehouse', url: 'http://gatehouse/graphql', typeDefs: gatehouse },
      { name: 'reviews', url: 'http://reviews/graphql', typeDefs: reviews },
    ]);

    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/account\(id: ID!\): Account [^\n]*@authenticated/);
    expect(result.supergraphSdl).toMatch(/authEvents\([^)]*\): AuthEventConnection! [^\n]*@authenticated @requiresScopes\(scopes: \[\["audit:r"\]\]\)/);
    expect(result.supergraphSdl).toMatch(/inviteMember\(input: InviteMemberInput!\): Invitation! [^\n]*@authenticated @requiresScopes\(scopes: \[\["invitations:c"\]\]\)/);
    // Without them (for Apollo Gateway, which cannot enforce them) it still composes.
    expect(composeServices([{ name: 'gatehouse', url: 'http://gatehouse/graphql', typeDefs: withoutAuthorizationDirectives(gatehouse) }]).errors).toBeUndefined();
  });

  it('mark every root field that needs a bearer token, and no other', async () => {
    const disagreements: string[] = [];
    for (const { operation, field } of rootFields(schema)) {
      // A user of its own per field: some of these mutations (logout) end the session they are sent with.
      const user = await signUp(server);
      const document = documentFor(operation, field, user.accountId);
      const anonymous = await server.graphql(document);
      const signedIn = await server.graphql(document, {}, { token: user.accessToken });
      // Refused without a token but not with one. (A token-shaped argument, like refreshToken's, is
      // refused either way: the field does not need a bearer token, it checks its own. One that needs a
      // bearer too, like acceptInvitation's, is refused for another reason once the bearer is there.)
      const needsBearer = isSignInRefusal(anonymous) && (!isSignInRefusal(signedIn) || anonymous.errors?.[0]?.message !== signedIn.errors?.[0]?.message);
      const marked = policyOf(field).authenticated;
      if (marked !== needsBearer && !(field.name in AUTHENTICATES_ITSELF)) {
        disagreements.push(`${field.name}: @authenticated=${marked}, needs a bearer token=${needsBearer}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each(['owner', 'admin', 'member', 'guest'])(
    "@requiresScopes lets through exactly the %s tokens Gatehouse's rules let through",
    async (role) => {
      const user = await signUp(server);
      if (role !== 'owner') await addMember(server, owner, user, role);
      const token = role === 'owner' ? owner.accessToken : await loginTo(server, user, owner.accountId).then((payload) => payload.accessToken as string);
      const grantedScopes = new Set(String(decodeJwtPayload(token).scope ?? '').split(' '));

      const disagreements: string[] = [];
      for (const { operation, field } of rootFields(schema)) {
        const { scopes } = policyOf(field);
        if (!scopes) continue;
        const routerAllows = scopes.some((all) => all.every((scope) => grantedScopes.has(scope)));
        const response = await server.graphql(documentFor(operation, field, owner.accountId), {}, { token });
        const shieldAllows = !response.errors?.some((error) => error.extensions?.code === 'FORBIDDEN' && error.extensions?.reason === 'MISSING_PERMISSION');
        if (routerAllows !== shieldAllows) disagreements.push(`${field.name}: router ${routerAllows}, Gatehouse ${shieldAllows}`);
      }
      expect(disagreements).toEqual([]);
    },
  );
});
