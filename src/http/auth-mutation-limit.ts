import { GraphQLError, Kind } from 'graphql';
import type { GraphQLSchema, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';
import { checksCredential } from '../abuse/credential-mutation';

/**
 * The root mutations that check a credential (a password, token or code) or send mail, as the schema
 * marks them (abuse/credential-mutation.ts). Each one is a guess, so a request may carry only a few:
 * otherwise one HTTP request with a hundred aliased logins would be a hundred guesses that no
 * per-request limit sees.
 */
export function credentialMutationsOf(context: Pick<ValidationContext, 'getSchema'>): ReadonlySet<string> {
  const schema = context.getSchema();
  let names = credentialMutationsBySchema.get(schema);
  if (!names) {
    const fields = schema.getMutationType()?.getFields() ?? {};
    names = new Set(Object.values(fields).filter(checksCredential).map((field) => field.name));
    credentialMutationsBySchema.set(schema, names);
  }
  return names;
}

const credentialMutationsBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** Refuses, at validation, a mutation with more than `maxPerOperation` credential-checking root fields. */
export function authMutationLimitRule(maxPerOperation: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      const responseKeys = collectAuthResponseKeys(operation.selectionSet, context, credentialMutationsOf(context), new Set(), new Set());
      if (responseKeys.size > maxPerOperation) {
        context.reportError(
          new GraphQLError(`A request may carry at most ${maxPerOperation} authentication mutation(s); this one has ${responseKeys.size}.`, {
            nodes: [operation],
          }),
        );
      }
    },
  });
}

/**
 * Response keys (alias or name) of the auth fields at the root, through inline fragments and fragment
 * spreads: each distinct key is one execution, so `a: login … b: login …` counts two.
 */
function collectAuthResponseKeys(
  selectionSet: SelectionSetNode,
  context: ValidationContext,
  credentialMutations: ReadonlySet<string>,
  visitedFragments: Set<string>,
  keys: Set<string>,
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (credentialMutations.has(selection.name.value)) keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectAuthResponseKeys(selection.selectionSet, context, credentialMutations, visitedFragments, keys);
    } else if (!visitedFragments.has(selection.name.value)) {
      visitedFragments.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) collectAuthResponseKeys(fragment.selectionSet, context, credentialMutations, visitedFragments, keys);
    }
  }
  return keys;
}
