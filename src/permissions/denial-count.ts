import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddlewareFunction } from 'graphql-middleware';
import type { GraphQLContext } from '../graphql/context';

/** Told of each field the rules refused, with its parent type's and its own name (the schema's, never the client's). */
export type OnDenied = (type: string, field: string) => void;

type Resolve = (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;
type FieldMiddleware = (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: GraphQLContext, info: GraphQLResolveInfo) => unknown;

/**
 * shield's middleware for one field, telling `onDenied` when it refused: when it answered without ever
 * calling the resolver. An error the resolver itself raised (allowExternalErrors) is no denial. Only the
 * fields that go through shield are wrapped (request-decisions.ts): a field granted on the fast path
 * pays nothing.
 */
export function countDenials(fieldMiddleware: IMiddlewareFunction, type: string, field: string, onDenied: OnDenied): IMiddlewareFunction {
  const viaShield = (typeof fieldMiddleware === 'function' ? fieldMiddleware : fieldMiddleware.resolve) as unknown as FieldMiddleware;
  const counted: FieldMiddleware = async (resolve, parent, args, context, info) => {
    let hasResolved = false;
    const tracked: Resolve = (...resolverArguments) => {
      hasResolved = true;
      return resolve(...resolverArguments);
    };
    try {
      const result = await viaShield(tracked, parent, args, context, info);
      if (!hasResolved && result instanceof Error) onDenied(type, field);
      return result;
    } catch (error) {
      if (!hasResolved) onDenied(type, field);
      throw error;
    }
  };
  const resolve = counted as unknown as Extract<IMiddlewareFunction, (...args: never[]) => unknown>;
  return typeof fieldMiddleware === 'function' ? resolve : { ...fieldMiddleware, resolve };
}
