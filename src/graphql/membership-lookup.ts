import DataLoader from 'dataloader';
import type { Membership, PrismaClient } from '../generated/prisma/client';

export interface MembershipKey {
  readonly userId: string;
  readonly accountId: string;
}

const keyOf = ({ userId, accountId }: MembershipKey): string => `${userId}/${accountId}`;

/**
 * Whether a user belongs to an account, per request: every pair asked about in one tick costs one
 * query, and a pair this request has already read is answered without waiting at all (`peek`), which
 * lets a rule on each item of a 1000-member list decide synchronously (permissions/rules.ts).
 */
export class MembershipLookup {
  /** What this request has read: a membership, or null for a pair known not to exist. */
  private readonly known = new Map<string, Membership | null>();
  private readonly loader: DataLoader<MembershipKey, Membership | null, string>;

  constructor(prisma: PrismaClient) {
    this.loader = new DataLoader(
      async (keys) => {
        // Two IN lists rather than an OR per pair: a list of 1000 users asks about one account, and a
        // 1000-branch OR costs far more to build and plan. Extra rows the cross product may match are
        // never looked up below.
        const rows = await prisma.membership.findMany({
          where: { userId: { in: [...new Set(keys.map((key) => key.userId))] }, accountId: { in: [...new Set(keys.map((key) => key.accountId))] } },
        });
        const byKey = new Map(rows.map((row) => [keyOf(row), row]));
        return keys.map((key) => {
          const membership = byKey.get(keyOf(key)) ?? null;
          this.known.set(keyOf(key), membership);
          return membership;
        });
      },
      { cacheKeyFn: keyOf },
    );
  }

  load(key: MembershipKey): Promise<Membership | null> {
    return this.loader.load(key);
  }

  /** Without a query: the membership, null when it is known not to exist, undefined when this request has not read it. */
  peek(key: MembershipKey): Membership | null | undefined {
    return this.known.get(keyOf(key));
  }

  /** Memberships this request read some other way (an account's member list): later checks of them cost nothing. */
  remember(memberships: readonly Membership[]): void {
    for (const membership of memberships) {
      this.known.set(keyOf(membership), membership);
      this.loader.prime(membership, membership);
    }
  }
}
