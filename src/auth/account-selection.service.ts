import { z } from 'zod';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Transaction } from '../database/transaction';
import { ErrorReason, forbidden, unauthenticated } from '../errors';
import type { PrismaClient, User } from '../generated/prisma/client';
import { idField, parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { SessionService } from '../sessions/session.service';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import type { AccountChoice, LoginOutcome, MembershipWithAccount } from './auth.types';
import type { LoginReadStore } from './login-read.store';
import type { SecondFactorChallenges } from './second-factor-challenges';

export interface AccountSelectionServiceOptions {
  readonly prisma: PrismaClient;
  /** For the membership list, read as a login reads it. */
  readonly loginReads: LoginReadStore;
  readonly sessions: SessionService;
  readonly clock: Clock;
  readonly challenges: SecondFactorChallenges;
  readonly selectionTokenTtlSeconds: number;
}

const selectAccountSchema = z.object({ selectionToken: tokenField, accountId: idField });

/** The account-selection step of a login: selection tokens, the account list and the pick. */
export class AccountSelectionService {
  constructor(private readonly options: AccountSelectionServiceOptions) {}

  /**
   * Issues a selection token for a user with several accounts. `selectionId`, when given, is the id
   * of the passed 2FA challenge the selection follows.
   */
  async offerChoice(
    user: User,
    memberships: readonly MembershipWithAccount[],
    clientId: string | null,
    request: RequestMetadata,
    selectionId?: string,
  ): Promise<AccountChoice> {
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.selection, selectionId);
    const expiresAt = addSeconds(now, this.options.selectionTokenTtlSeconds);
    await this.options.prisma.accountSelection.create({
      data: {
        id: token.id,
        userId: user.id,
        secretHash: hashSecret(token.secret),
        clientId,
        userAgent: request.userAgent,
        ip: request.ip,
        createdAt: now,
        expiresAt,
      },
    });
    return this.describeChoice(token.token, expiresAt, user, memberships);
  }

  /** `request` is the selecting request's: the session is recorded as opened where its tokens go. */
  async selectAccount(input: { selectionToken: string; accountId: string }, request: RequestMetadata): Promise<LoginOutcome> {
    const fields = parseInput(selectAccountSchema, input);
    const selection = await this.findPendingSelection(fields.selectionToken);
    const memberships = await this.membershipsOf(selection.userId);
    const chosen = memberships.find((membership) => membership.accountId === fields.accountId);
    // Checked before the token is spent, so a wrong pick can be corrected with the same token.
    if (!chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    const { prisma, sessions, clock } = this.options;
    return inTransaction(prisma, async (transaction) => {
      const consumed = await transaction.accountSelection.updateMany({
        where: { id: selection.id, consumedAt: null },
        data: { consumedAt: clock.now() },
      });
      if (consumed.count === 0) throw invalidSelectionToken();
      const user = await transaction.user.findUniqueOrThrow({ where: { id: selection.userId } });
      // A selection issued on the password alone (2FA was turned on after it) still owes the second factor.
      if (await this.options.challenges.isSecondFactorOutstanding(transaction, user, selection.id)) {
        return this.options.challenges.start(transaction, { userId: user.id, accountId: chosen.accountId, clientId: selection.clientId, request });
      }
      return sessions.start({
        user,
        account: chosen.account,
        role: chosen.roleName,
        clientId: selection.clientId,
        request,
        isLogin: true,
        event: AuthEventType.ACCOUNT_SELECTED,
      }, transaction);
    });
  }

  /**
   * Spends a pending selection token inside `transaction` for another way out of the selection step
   * than selectAccount (createAccount, for a user with no account left): the selection with its user,
   * once only. A selection that still owes the second factor is refused: the token alone is then only
   * half a login.
   */
  async spendSelection(transaction: Transaction, selectionToken: string): Promise<{ user: User; clientId: string | null }> {
    const selection = await this.findPendingSelection(parseInput(tokenField, selectionToken, 'selectionToken'), transaction);
    const consumed = await transaction.accountSelection.updateMany({
      where: { id: selection.id, consumedAt: null },
      data: { consumedAt: this.options.clock.now() },
    });
    if (consumed.count === 0) throw invalidSelectionToken();
    const user = await transaction.user.findUniqueOrThrow({ where: { id: selection.userId } });
    if (await this.options.challenges.isSecondFactorOutstanding(transaction, user, selection.id)) {
      throw forbidden(ErrorReason.TWO_FACTOR_REQUIRED, 'Two-factor authentication was turned on after this selection began: log in again.');
    }
    return { user, clientId: selection.clientId };
  }

  /** The account list of a pending selection again, for a separate selection page. */
  async loginAccounts(selectionToken: string): Promise<AccountChoice> {
    const selection = await this.findPendingSelection(parseInput(tokenField, selectionToken, 'selectionToken'));
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: selection.userId } });
    return this.describeChoice(selectionToken, selection.expiresAt, user, await this.membershipsOf(user.id));
  }

  /** A user's memberships with their accounts, most recently used first, then oldest first. */
  async membershipsOf(userId: string): Promise<MembershipWithAccount[]> {
    return (await this.options.loginReads.findById(userId))?.memberships ?? [];
  }

  private describeChoice(selectionToken: string, expiresAt: Date, user: User, memberships: readonly MembershipWithAccount[]): AccountChoice {
    const isStillMember = memberships.some((membership) => membership.accountId === user.lastAccountId);
    return {
      selectionToken,
      expiresAt,
      accounts: memberships.map((membership) => ({ id: membership.accountId, name: membership.account.name, role: membership.roleName })),
      // Most recently used first (membershipsOf orders them), so the fallback is the latest one used.
      lastAccountId: isStillMember ? user.lastAccountId : (memberships[0]?.accountId ?? null),
    };
  }

  /** Read on `reader`: inside a transaction, its own (PGlite has one connection, which that transaction holds). */
  private async findPendingSelection(selectionToken: string, reader: Pick<PrismaClient, 'accountSelection'> = this.options.prisma) {
    const presented = parseOpaqueToken(TokenPrefix.selection, selectionToken);
    if (!presented) throw invalidSelectionToken();
    const selection = await reader.accountSelection.findUnique({ where: { id: presented.id } });
    if (!selection || !secretMatches(presented.secret, selection.secretHash) || selection.consumedAt) {
      throw invalidSelectionToken();
    }
    if (selection.expiresAt <= this.options.clock.now()) {
      throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The selection token has expired; log in again.');
    }
    return selection;
  }
}

const invalidSelectionToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The selection token is invalid or already used.');
