import type { Account, User } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { idField } from '../graphql/input-validation';

/** The entities other subgraphs may reference and extend, each by its key. */
export const ENTITY_KEYS: Readonly<Record<string, string>> = { User: 'id', Account: 'id' };

interface Reference {
  readonly id?: unknown;
}

/**
 * Reference resolvers for the gateway's `_entities` lookups. The gateway sends every reference of a
 * request together and they are resolved in the same tick, so the DataLoaders turn N references into
 * one query per entity type. A malformed id resolves to null rather than reaching a uuid column.
 */
export const referenceResolvers = {
  User: {
    // Which of the user's fields the caller may read is still decided field by field (permissions.ts).
    __resolveReference: (reference: Reference, context: GraphQLContext): Promise<User | null> | null => {
      const id = idField.safeParse(reference.id);
      return id.success ? context.loaders.users.load(id.data) : null;
    },
  },
  Account: {
    // Like Query.account: only members see an account, and any other id answers null, so ids cannot be probed.
    __resolveReference: async (reference: Reference, context: GraphQLContext): Promise<Account | null> => {
      const id = idField.safeParse(reference.id);
      const { viewer } = context;
      if (!id.success || !viewer) return null;
      const membership = await context.loaders.memberships.load({ userId: viewer.userId, accountId: id.data });
      return membership ? context.loaders.accounts.load(id.data) : null;
    },
  },
};
