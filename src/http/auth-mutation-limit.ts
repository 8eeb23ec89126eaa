import { GraphQLError, Kind } from 'graphql';
import type { SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';

/**
 * Root mutations that check a credential (a password, token or code). Each one is a guess, so a
 * request may carry only a few: otherwise one HTTP request with a hundred aliased logins would
 * be a hundred guesses that no per-request limit sees.
 */
export const AUTH_MUTATIONS: ReadonlySet<string> = new Set([
  'signUp',
  'login',
  'selectAccount',
  'verifyTwoFactor',
  'refreshToken',
  'requestPasswordReset',
  'resetPassword',
  'changePassword',
  'resendVerification',
  'verifyEmail',
  'enableTotp',
  'confirmTotp',
  'disableTotp',
  'acceptInvitation',
  'declineInvitation',
]);

/** Refuses, at validation, a mutation with more than `maxPerOperation` credential-checking root fields. */
export function authMutationLimitRule(maxPerOperation: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      const responseKeys = collectAuthResponseKeys(operation.selectionSet, context, new Set(), new Set());
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
  visitedFragments: Set<string>,
  keys: Set<string>,
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (AUTH_MUTATIONS.has(selection.name.value)) keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectAuthResponseKeys(selection.selectionSet, context, visitedFragments, keys);
    } else if (!visitedFragments.has(selection.name.value)) {
      visitedFragments.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) collectAuthResponseKeys(fragment.selectionSet, context, visitedFragments, keys);
    }
  }
  return keys;
}
