import { Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';

/** The label of a request that never reached a valid operation (a parse or validation error, an unknown operationName). */
export const INVALID_OPERATION = 'invalid';

/**
 * The `operation` label of gatehouse_graphql_operation_seconds, from what the schema bounds: the
 * operation's type and its root field (`mutation login`, `query me`), or `query multiple` when it asks
 * for several. Never the client's operationName, which a hostile client could make different on every
 * request (a series each); and never a list of root fields, whose combinations would be as many as the
 * subsets of the schema's root fields. Only called on a validated document, so every name is the schema's.
 */
export function operationLabel(document: DocumentNode, operation: OperationDefinitionNode): string {
  let label = labels.get(operation);
  if (label === undefined) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const names = rootFieldNames(operation.selectionSet, fragments, new Set(), new Set());
    label = `${operation.operation} ${names.size === 1 ? [...names][0] : 'multiple'}`;
    labels.set(operation, label);
  }
  return label;
}

/** Apollo keeps a validated document in its cache and hands the same nodes back: the label is worked out once per document. */
const labels = new WeakMap<OperationDefinitionNode, string>();

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: Set<string>,
  names: Set<string>,
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      names.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootFieldNames(selection.selectionSet, fragments, visited, names);
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, visited, names);
    }
  }
  return names;
}
