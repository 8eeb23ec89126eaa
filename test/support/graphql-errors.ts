import type { GraphQLFormattedError } from 'graphql';

/** Anything that may carry GraphQL errors: a test server's answer, a gateway's, a subgraph's. */
interface WithErrors {
  readonly errors?: readonly GraphQLFormattedError[];
}

/** The first error's extensions (code, reason, field), or undefined when the response has no error. */
export const extensionsOf = (response: WithErrors): GraphQLFormattedError['extensions'] => response.errors?.[0]?.extensions;

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The first error's `extensions.reason`, or undefined. */
export const reasonIn = (response: WithErrors): string | undefined => textOf(extensionsOf(response)?.reason);

/** The first error's `extensions.code`, or undefined. */
export const codeIn = (response: WithErrors): string | undefined => textOf(extensionsOf(response)?.code);

/** The first error's `extensions.retryAfter` (seconds), or undefined. */
export function retryAfterIn(response: WithErrors): number | undefined {
  const retryAfter = extensionsOf(response)?.retryAfter;
  return typeof retryAfter === 'number' ? retryAfter : undefined;
}
