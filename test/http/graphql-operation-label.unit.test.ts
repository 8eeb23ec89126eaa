import { Kind, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { operationLabel } from '../../src/http/graphql-operation-label';
import { methodLabel, routeLabel } from '../../src/http/http-metrics';

const labelOf = (text: string, operationName?: string): string => {
  const document = parse(text);
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((candidate) => operationName === undefined || candidate.name?.value === operationName)!;
  return operationLabel(document, operation);
};

describe('operationLabel', () => {
  it.each([
    ['query Anything_The_Client_Likes { me { id } }', 'query me'],
    ['{ me { id } }', 'query me'],
    ['mutation Whatever($input: LoginInput!) { login(input: $input) { __typename } }', 'mutation login'],
    // Aliases name one root field many times: still that field.
    ['{ a: me { id } b: me { email } }', 'query me'],
    ['query { ... on Query { me { id } } }', 'query me'],
    ['query { ...Root } fragment Root on Query { me { id } }', 'query me'],
    ['{ me { id } currentSession { role } }', 'query multiple'],
    ['query { ...Root currentSession { role } } fragment Root on Query { me { id } }', 'query multiple'],
  ])('%s → %s', (text, label) => {
    expect(labelOf(text)).toBe(label);
  });

  it('labels the operation the request selected, never by its name', () => {
    const text = 'query Evil_1 { me { id } } mutation Evil_2 { logout }';
    expect(labelOf(text, 'Evil_1')).toBe('query me');
    expect(labelOf(text, 'Evil_2')).toBe('mutation logout');
  });
});

describe('HTTP labels', () => {
  it('keeps the service routes and methods, and calls everything else "other"', () => {
    expect(['/graphql', '/healthz', '/readyz', '/metrics', '/.well-known/jwks.json', '/graphql/x', '/anything-at-all'].map(routeLabel)).toEqual([
      '/graphql',
      '/healthz',
      '/readyz',
      '/metrics',
      '/.well-known/jwks.json',
      'other',
      'other',
    ]);
    expect(['GET', 'POST', 'HEAD', 'OPTIONS', 'PROPFIND', 'get'].map(methodLabel)).toEqual(['GET', 'POST', 'HEAD', 'OPTIONS', 'other', 'other']);
  });
});
