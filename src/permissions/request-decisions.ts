import type { GraphQLResolveInfo } from 'graphql';
import { middleware } from 'graphql-middleware';
import type { IMiddlewareFieldMap, IMiddlewareFunction, IMiddlewareGenerator, IMiddlewareTypeMap } from 'graphql-middleware';
import { allow } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context';
import type { Viewer } from '../identity/viewer';
import { countDenials } from './denial-count';
import type { OnDenied } from './denial-count';
import type { ItemGrant, ShieldRule } from './rule-metadata';
import { itemGrantsOf, requestWideGrants } from './rule-scope';

type RuleTable = Readonly<Record<string, Readonly<Record<string, ShieldRule>>>>;
type ShieldOptions = Parameters<ShieldRule['resolve']>[4];
type Resolve = (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;
type FieldMiddleware = (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GraphQLContext, info: GraphQLResolveInfo) => unknown;

/** What shield answered for the request-wide rules, for one viewer (sign-in mutations replace the viewer mid-request). */
interface Decisions {
  readonly viewer: Viewer | null;
  readonly granted: Promise<ReadonlySet<ShieldRule>>;
  /** Set once `granted` has settled, so fields can read it without awaiting. */
  settled?: ReadonlySet<ShieldRule>;
}

/**
 * graphql-shield evaluates every field through an async middleware: on a list of 1000 members that is
 * thousands of promises and rule evaluations for answers that cannot differ from one item to the next.
 * This wraps shield's generated middleware so that:
 *  - `allow` fields are not wrapped at all;
 *  - request-wide rules (rule-scope.ts) are evaluated by shield once per request and viewer, before
 *    the first guarded field resolves; a field they grant then resolves synchronously, as if unguarded;
 *  - per-item rules first try their item grant, the part of the check that needs no query (the
 *    viewer's own user, a member the list itself proved): an item it passes resolves synchronously too;
 *  - everything else (a refusal, a per-item rule) goes through shield's own middleware, unchanged, so
 *    errors, fallbackRule and allowExternalErrors behave exactly as shield defines them; `onDenied` hears
 *    of each refusal there (denial-count.ts).
 */
export function decideRequestWideRulesOnce(
  shieldMiddleware: IMiddlewareGenerator<unknown, GraphQLContext, unknown>,
  table: RuleTable,
  fallbackRule: ShieldRule,
  options: ShieldOptions,
  onDenied: OnDenied,
) {
  return middleware((schema) => {
    const generated = shieldMiddleware.generate(schema) as IMiddlewareTypeMap;
    const requestWide = new Set<ShieldRule>();
    const wrapped: IMiddlewareTypeMap = {};
    for (const [typeName, fields] of Object.entries(generated)) {
      const typeMap: IMiddlewareFieldMap = {};
      for (const [fieldName, shieldFieldMiddleware] of Object.entries(fields as IMiddlewareFieldMap)) {
        const rule = table[typeName]?.[fieldName] ?? fallbackRule;
        // allow needs no decision: leaving the field unwrapped is exactly what shield would do, minus the promise.
        if (rule === allow) continue;
        const grants = requestWideGrants(rule);
        grants.forEach((grant) => requestWide.add(grant));
        const itemGrants = itemGrantsOf(rule);
        const isAlwaysShield = grants.length === 0 && itemGrants.length === 0;
        const fieldMiddleware = countDenials(shieldFieldMiddleware, typeName, fieldName, onDenied);
        typeMap[fieldName] = isAlwaysShield ? fieldMiddleware : withFastPath(fieldMiddleware, grants, itemGrants, (context, info) => decide(context, info));
      }
      wrapped[typeName] = typeMap;
    }

    const decisions = new WeakMap<GraphQLContext, Decisions>();
    const decide = (context: GraphQLContext, info: GraphQLResolveInfo): Decisions => {
      const current = decisions.get(context);
      if (current && current.viewer === context.viewer) return current;
      // A private shield cache: shield caches contextual answers for the whole request, which must not
      // carry this viewer's answers over to the one a sign-in mutation puts in its place.
      const probe = Object.assign(Object.create(context) as GraphQLContext & { _shield: unknown }, { _shield: { cache: {} } });
      const granted = Promise.all(
        [...requestWide].map(async (rule) => ((await rule.resolve({}, {}, probe, info, options).catch(() => false)) === true ? rule : null)),
      ).then((rules) => new Set(rules.filter((rule): rule is ShieldRule => rule !== null)));
      const next: Decisions = { viewer: context.viewer, granted };
      void granted.then((set) => (next.settled = set));
      decisions.set(context, next);
      return next;
    };
    return wrapped;
  });
}

function withFastPath(
  fieldMiddleware: IMiddlewareFunction,
  grants: readonly ShieldRule[],
  itemGrants: readonly ItemGrant[],
  decide: (context: GraphQLContext, info: GraphQLResolveInfo) => Decisions,
): IMiddlewareFunction {
  const viaShield = (typeof fieldMiddleware === 'function' ? fieldMiddleware : fieldMiddleware.resolve) as unknown as FieldMiddleware;
  const guarded: FieldMiddleware = (resolve, parent, args, context, info) => {
    if (grants.length > 0) {
      const decisions = decide(context, info);
      const granted = decisions.settled;
      if (!granted) return decisions.granted.then(() => guarded(resolve, parent, args, context, info));
      if (grants.some((rule) => granted.has(rule))) return resolve(parent, args, context, info);
    }
    if (itemGrants.some((grant) => grant(parent, context))) return resolve(parent, args, context, info);
    return viaShield(resolve, parent, args, context, info);
  };
  const resolve = guarded as unknown as Extract<IMiddlewareFunction, (...args: never[]) => unknown>;
  return typeof fieldMiddleware === 'function' ? resolve : { ...fieldMiddleware, resolve };
}
