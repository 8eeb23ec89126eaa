import { and, or, rule } from 'graphql-shield';
import type { AppError } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { guestAccessOfAll, guestAccessOfAny } from './guest-access';
import type { GuestAccess } from './guest-access';
import { attachMetadata, metadataOf } from './rule-metadata';
import type { ItemGrant, ShieldRule } from './rule-metadata';
import { tokenRequirementFor, tokenRequirementOfAll, tokenRequirementOfAny } from './token-requirement';
import type { TokenNeed } from './token-requirement';

/**
 * The only ways to build a rule: defineRule for one predicate, allOf/anyOf to combine them. Each returns
 * the graphql-shield rule with everything else the service derives from it attached (rule-metadata.ts),
 * so a rule's token requirement, guest access, scope and item grant are declared in one place and cannot
 * drift from the predicate they describe.
 */

interface RuleBasics {
  /** shield keys its caches by name and refuses two different rules of one name. */
  readonly name: string;
  /** What the bearer token must carry: the subgraph SDL's @authenticated/@requiresScopes derive from it. */
  readonly token: TokenNeed;
  /** Whom the rule lets through among signed-in users whose email is unverified (guest-access.ts). */
  readonly guestAccess: GuestAccess;
}

/** Reads the request alone (the viewer, a refused token): decided once per request and viewer, however many fields and items use it. */
interface RequestRuleDefinition extends RuleBasics {
  readonly scope: 'request';
  /**
   * Request-wide rules are all decided before a request's first guarded field, so a field they grant
   * resolves with no per-item promise (request-decisions.ts). false for a rule that guards a field few
   * requests ask for: it is decided only when asked (still once per request).
   */
  readonly decideUpFront?: boolean;
  readonly check: (context: GraphQLContext) => true | AppError;
}

/**
 * Reads the arguments too (and perhaps the parent). shield caches the answer by an object-hash of parent
 * and arguments: affordable for root fields and mutations, which run once per request, not for list items.
 */
interface ArgumentsRuleDefinition<Args> extends RuleBasics {
  readonly scope: 'arguments';
  readonly check: (parent: unknown, args: Args, context: GraphQLContext) => true | AppError;
}

/**
 * false, not an AppError, where the rule is an alternative of an anyOf: the anyOf reports another
 * alternative's error (or shield's FORBIDDEN) when all fail, and building a GraphQLError (a stack trace)
 * for each of 1000 list items that another alternative then grants was a sixth of the CPU.
 */
type ItemCheck<Item> = (item: Item, context: GraphQLContext) => boolean | AppError | Promise<boolean | AppError>;

/**
 * Reads the parent object, on fields of list items (User.email). Not cached: hashing each parent would
 * cost more than the check; anything expensive inside is batched and cached per request by a DataLoader.
 * `grant` is the part of the check that needs no query: when it passes, the item is let through with no
 * promise (request-decisions.ts), and `check` runs only where it did not. With no `check`, the grant is
 * the whole answer.
 */
type ItemRuleDefinition<Item> = RuleBasics & { readonly scope: 'item' } & (
    | { readonly grant: (item: Item, context: GraphQLContext) => boolean; readonly check?: ItemCheck<Item> }
    | { readonly grant?: undefined; readonly check: ItemCheck<Item> }
  );

export type RuleDefinition<Item = unknown, Args = Record<string, unknown>> = RequestRuleDefinition | ArgumentsRuleDefinition<Args> | ItemRuleDefinition<Item>;

/** What each scope's answer may be cached by: the request, the request and its arguments, nothing. */
const CACHE = { request: 'contextual', arguments: 'strict', item: 'no_cache' } as const;

/**
 * One rule: its check answers true, or the AppError the client should see (shield's own fallback error
 * would be an INTERNAL_SERVER_ERROR with a stack trace).
 */
export function defineRule<Item = unknown, Args = Record<string, unknown>>(definition: RuleDefinition<Item, Args>): ShieldRule {
  const shieldRule = rule(definition.name, { cache: CACHE[definition.scope] })(checkOf(definition));
  return attachMetadata(shieldRule, {
    token: tokenRequirementFor(definition.token),
    guestAccess: definition.guestAccess,
    isRequestWide: definition.scope === 'request' && definition.decideUpFront !== false,
    itemGrant: definition.scope === 'item' ? itemGrantOf(definition) : null,
    alternatives: [],
  });
}

type ShieldCheck = Parameters<ReturnType<typeof rule>>[0];

function checkOf<Item, Args>(definition: RuleDefinition<Item, Args>): ShieldCheck {
  switch (definition.scope) {
    case 'request': {
      const { check } = definition;
      return (_parent, _args, context: GraphQLContext) => check(context);
    }
    case 'arguments': {
      const { check } = definition;
      return (parent: unknown, args: Args, context: GraphQLContext) => check(parent, args, context);
    }
    case 'item': {
      const { grant, check } = definition;
      return (parent: Item, _args, context: GraphQLContext) => {
        if (grant?.(parent, context)) return true;
        return check ? check(parent, context) : false;
      };
    }
  }
}

function itemGrantOf<Item>(definition: ItemRuleDefinition<Item>): ItemGrant | null {
  const { grant } = definition;
  // The parent is what the field's resolver received: the rule's Item type is its declaration of it.
  return grant ? (parent, context) => grant(parent as Item, context) : null;
}

/** Every rule must pass (graphql-shield's `and`). */
export function allOf(...rules: ShieldRule[]): ShieldRule {
  const parts = rules.map(metadataOf);
  return attachMetadata(and(...rules), {
    token: tokenRequirementOfAll(parts.map((part) => part.token)),
    guestAccess: guestAccessOfAll(parts.map((part) => part.guestAccess)),
    isRequestWide: parts.every((part) => part.isRequestWide),
    itemGrant: null,
    alternatives: [],
  });
}

/** Any rule may pass (graphql-shield's `or`). Its request-wide parts and item grants each let a field through on their own (rule-scope.ts). */
export function anyOf(...rules: ShieldRule[]): ShieldRule {
  const parts = rules.map(metadataOf);
  return attachMetadata(or(...rules), {
    token: tokenRequirementOfAny(parts.map((part) => part.token)),
    guestAccess: guestAccessOfAny(parts.map((part) => part.guestAccess)),
    isRequestWide: false,
    itemGrant: null,
    alternatives: rules,
  });
}
