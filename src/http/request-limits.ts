import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { Config } from '../config/config';
import { authMutationLimitRule } from './auth-mutation-limit';

export interface RequestLimits {
  readonly plugins: ApolloServerPlugin[];
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
}

/**
 * Lexer tokens per document (graphql-armor's default). Parsing stops there, before a document
 * built to be expensive to parse reaches the validation limits below.
 */
const MAX_TOKENS = 1_000;

/**
 * Per-operation limits, checked before anything runs: tokens at parsing (GRAPHQL_PARSE_FAILED); depth,
 * cost and aliases (graphql-armor, from config.limits) and credential-checking mutations per request
 * at validation (GRAPHQL_VALIDATION_FAILED). Each refusal is a 400, never a 5xx.
 */
export function createRequestLimits(limits: Config['limits'], options: { readonly isProduction: boolean }): RequestLimits {
  const armor = new ApolloArmor({
    // Flattened: how a query is split into fragments changes neither its depth nor its cost.
    maxDepth: { n: limits.graphqlMaxDepth, flattenFragments: true },
    costLimit: { maxCost: limits.graphqlMaxCost, flattenFragments: true },
    maxAliases: { n: limits.graphqlMaxAliases },
    // "Did you mean …" maps the schema for whoever cannot introspect it; introspection is off in
    // production too, and both stay on in development.
    blockFieldSuggestion: { enabled: options.isProduction },
    // Its token limit throws from a plugin hook, which Apollo Server 5 answers with a 500: graphql-js's own
    // parser limit (parseOptions below) gives the same protection as a 400.
    maxTokens: { enabled: false },
  }).protect();
  return {
    plugins: armor.plugins,
    validationRules: [...armor.validationRules, authMutationLimitRule(limits.maxAuthMutationsPerRequest)],
    parseOptions: { maxTokens: MAX_TOKENS },
  };
}
