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
type ShieldContext = Parameters<ShieldRule['resolve']>[2];
type Resolve = (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;
type FieldMiddleware = (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GraphQLContext, info: GraphQLResolveInfo) => unknown;

/**
 * What shield answered for the request-wide rules asked so far, for one viewer (sign-in mutations
 * replace the viewer mid-request): a rule's promise while it is being decided, then its answer, so
 * fields read it without awaiting.
 */
interface Decisions {
  readonly viewer: Viewer | null;
  readonly answers: Map<ShieldRule, Promise<boolean> | boolean>;
  /** The context shield's rules see: the request's, with a cache of its own (see `decide`). */
  readonly probe: ShieldContext;
}

/**
 * graphql-shield evaluates every field through an async middleware: on a list of 1000 members that is
 * thousands of promises and rule evaluations for answers that cannot differ from one item to the next.
 * This wraps shield's generated middleware so that:
 *  - `allow` fields are not wrapped at all;
 *  - request-wide rules (rule-scope.ts) are evaluated by shield once per request and viewer, each when
 *    a field first needs it (a `me` query decides one rule, not every rule of the schema); a field they
 *    grant then resolves synchronously, as if unguarded;
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
    const decisions = new WeakMap<GraphQLContext, Decisions>();
    const decide = (context: GraphQLContext, rule: ShieldRule, info: GraphQLResolveInfo): Promise<boolean> | boolean => {
      let current = decisions.get(context);
      if (!current || current.viewer !== context.viewer) {
        // A private shield cache: shield caches contextual answers for the whole request, which must not
        // carry this viewer's answers over to the one a sign-in mutation puts in its place.
        const probe: ShieldContext = Object.assign(Object.create(context) as GraphQLContext, { _shield: { cache: {} } });
        current = { viewer: context.viewer, answers: new Map(), probe };
        decisions.set(context, current);
      }
      const { answers } = current;
      const known = answers.get(rule);
      if (known !== undefined) return known;
      const pending = Promise.resolve(rule.resolve({}, {}, current.probe, info, options)).then(
        (answer) => answer === true,
        () => false,
      );
      answers.set(rule, pending);
      void pending.then((answer) => answers.set(rule, answer));
      return pending;
    };
    const wrapped: IMiddlewareTypeMap = {};
    for (const [typeName, fields] of Object.entries(generated)) {
      const typeMap: IMiddlewareFieldMap = {};
      for (const [fieldName, shieldFieldMiddleware] of Object.entries(fields as IMiddlewareFieldMap)) {
        const rule = table[typeName]?.[fieldName] ?? fallbackRule;
        // allow needs no decision: leaving the field unwrapped is exactly what shield would do, minus the promise.
        if (rule === allow) continue;
        const grants = requestWideGrants(rule);
        const itemGrants = itemGrantsOf(rule);
        const isAlwaysShield = grants.length === 0 && itemGrants.length === 0;
        const fieldMiddleware = countDenials(shieldFieldMiddleware, typeName, fieldName, onDenied);
        typeMap[fieldName] = isAlwaysShield ? fieldMiddleware : withFastPath(fieldMiddleware, grants, itemGrants, decide);
      }
      wrapped[typeName] = typeMap;
    }

    return wrapped;
  });
}

function withFastPath(
  fieldMiddleware: IMiddlewareFunction,
  grants: readonly ShieldRule[],
  itemGrants: readonly ItemGrant[],
  decide: (context: GraphQLContext, rule: ShieldRule, info: GraphQLResolveInfo) => Promise<boolean> | boolean,
): IMiddlewareFunction {
  const viaShield = (typeof fieldMiddleware === 'function' ? fieldMiddleware : fieldMiddleware.resolve) as unknown as FieldMiddleware;
  const guarded: FieldMiddleware = (resolve, parent, args, context, info) => {
    let undecided: Promise<boolean>[] | null = null;
    for (const rule of grants) {
      const answer = decide(context, rule, info);
      if (answer === true) return resolve(parent, args, context, info);
      if (answer !== false) (undecided ??= []).push(answer);
    }
    // Asked again once every grant is decided: then each answer is known, and this runs synchronously.
    if (undecided) return Promise.all(undecided).then(() => guarded(resolve, parent, args, context, info));
    if (itemGrants.some((grant) => grant(parent, context))) return resolve(parent, args, context, info);
    return viaShield(resolve, parent, args, context, info);
  };
  const resolve = guarded as unknown as Extract<IMiddlewareFunction, (...args: never[]) => unknown>;
  return typeof fieldMiddleware === 'function' ? resolve : { ...fieldMiddleware, resolve };
}
