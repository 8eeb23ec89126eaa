import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import { AuthEventType } from '../audit/auth-event';
import type { AccountSelectionService } from '../auth/account-selection.service';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Transaction } from '../database/transaction';
import { ErrorReason, forbidden } from '../errors';
import type { Account, PrismaClient, User } from '../generated/prisma/client';
import { displayNameField, parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { SessionGrant } from '../sessions/session-grant';
import type { SessionService } from '../sessions/session.service';

export interface AccountCreationServiceOptions {
  readonly prisma: PrismaClient;
  readonly sessions: SessionService;
  readonly accountSelection: AccountSelectionService;
  readonly clock: Clock;
  /** MAX_OWNED_ACCOUNTS_PER_USER. */
  readonly maxOwnedPerUser: number;
}

const createAccountSchema = z.object({ name: displayNameField, selectionToken: tokenField.nullish() });

/**
 * A new account owned by the user who asks, answered with a session in it. Signed in, the session moves
 * there exactly as switchAccount moves it (SessionService.handOver: the current one ends); with no
 * account left to sign into, the selection token of their login stands in for the session.
 */
export class AccountCreationService {
  constructor(private readonly options: AccountCreationServiceOptions) {}

  async createForSession(viewer: { sessionId: string }, input: { name: string }, request: RequestMetadata): Promise<SessionGrant> {
    const fields = parseInput(createAccountSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      const current = await transaction.session.findUniqueOrThrow({ where: { id: viewer.sessionId }, include: { user: true } });
      const account = await this.createOwnedBy(transaction, current.user, fields.name);
      return this.options.sessions.handOver(transaction, current, { account, role: BuiltInRole.owner, request, event: AuthEventType.ACCOUNT_CREATED });
    });
  }

  /** For a user whose login found no account: the selection token is spent, and the session opened is a login's. */
  async createAfterSelection(input: { name: string; selectionToken: string }, request: RequestMetadata): Promise<SessionGrant> {
    const fields = parseInput(createAccountSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      const { user, clientId } = await this.options.accountSelection.spendSelection(transaction, input.selectionToken);
      const account = await this.createOwnedBy(transaction, user, fields.name);
      return this.options.sessions.start(
        { user, account, role: BuiltInRole.owner, clientId, request, isLogin: true, event: AuthEventType.ACCOUNT_CREATED },
        transaction,
      );
    });
  }

  /**
   * The account and its owner's membership, within the cap. The user's row is locked first, so two
   * creations by one user are counted one after the other: at the cap, two concurrent requests cannot
   * both see room for one more.
   */
  private async createOwnedBy(transaction: Transaction, user: User, name: string): Promise<Account> {
    const [locked] = await transaction.$queryRaw<{ emailVerifiedAt: Date | null }[]>`SELECT "emailVerifiedAt" FROM "User" WHERE "id" = ${user.id}::uuid FOR UPDATE`;
    // An owner's address must be proven: an unverified user holds no rights anywhere (RoleCatalog.accessOf).
    if (!locked || locked.emailVerifiedAt === null) throw forbidden(ErrorReason.EMAIL_NOT_VERIFIED, 'Verify your email address before creating an account.');
    const owned = await transaction.membership.count({ where: { userId: user.id, roleName: BuiltInRole.owner } });
    if (owned >= this.options.maxOwnedPerUser) {
      throw forbidden(ErrorReason.ACCOUNT_LIMIT_REACHED, `You already own ${owned} accounts, the most one user may own; delete one or hand one on first.`);
    }
    const now = this.options.clock.now();
    return transaction.account.create({
      data: { name, createdAt: now, createdByUserId: user.id, memberships: { create: { userId: user.id, roleName: BuiltInRole.owner, createdAt: now } } },
    });
  }
}
