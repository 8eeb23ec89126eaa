import type { Logger } from 'pino';
import { z } from 'zod';
import { BuiltInRole } from '../accounts/roles';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { badUserInput, ErrorReason, forbidden, invalidCredentials, unauthenticated } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { Account, Membership, PrismaClient, User } from '../generated/prisma/client';
import type { RequestMetadata } from '../http/request-metadata';
import {
  clientIdField,
  displayNameField,
  emailField,
  idField,
  parseInput,
  tokenField,
  usernameField,
  usernameKey,
} from '../input-validation';
import type { PasswordHasher } from '../passwords/password-hasher';
import { checkPasswordPolicy, normalizePassword } from '../passwords/password-policy';
import type { PasswordPolicyOptions } from '../passwords/password-policy';
import type { SessionGrant, SessionService } from '../sessions/session.service';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';

export interface AccountChoice {
  readonly selectionToken: string;
  readonly expiresAt: Date;
  readonly accounts: readonly { id: string; name: string; role: string }[];
  readonly lastAccountId: string | null;
}

export type LoginOutcome = SessionGrant | AccountChoice;

export interface AuthServiceOptions {
  readonly prisma: PrismaClient;
  readonly sessions: SessionService;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicyOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly selectionTokenTtlSeconds: number;
}

const signUpSchema = z.object({
  email: emailField,
  username: usernameField.nullish(),
  accountName: displayNameField.nullish(),
  clientId: clientIdField.nullish(),
});

const loginSchema = z.object({
  email: emailField.nullish(),
  username: usernameField.nullish(),
  clientId: clientIdField.nullish(),
  accountId: idField.nullish(),
});

const selectAccountSchema = z.object({ selectionToken: tokenField, accountId: idField });

const DEFAULT_ACCOUNT_NAME = 'Personal';
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

type MembershipWithAccount = Membership & { account: Account };

/** Sign-up, password login and the account-selection step. */
export class AuthService {
  constructor(private readonly options: AuthServiceOptions) {}

  async signUp(
    input: { email: string; password: string; username?: string | null; accountName?: string | null; clientId?: string | null },
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const fields = parseInput(signUpSchema, input);
    const userInputs = [fields.email, fields.email.split('@')[0] ?? '', fields.username ?? ''].filter(Boolean);
    const password = checkPasswordPolicy(input.password, this.options.passwordPolicy, userInputs);
    // Hash before looking for a taken email: both answers then cost the same time.
    const passwordHash = await this.options.hasher.hash(password);
    try {
      return await this.options.prisma.$transaction(async (transaction) => {
        const user = await transaction.user.create({
          data: {
            email: fields.email,
            username: fields.username ?? null,
            usernameKey: fields.username ? usernameKey(fields.username) : null,
            passwordHash,
            createdAt: this.options.clock.now(),
          },
        });
        const account = await transaction.account.create({
          data: {
            name: fields.accountName ?? DEFAULT_ACCOUNT_NAME,
            createdAt: this.options.clock.now(),
            memberships: { create: { userId: user.id, roleName: BuiltInRole.owner } },
          },
        });
        this.options.logger.info({ userId: user.id, accountId: account.id, ip: request.ip }, 'user signed up');
        return this.options.sessions.start(transaction, {
          user,
          account,
          role: BuiltInRole.owner,
          clientId: fields.clientId ?? null,
          request,
          isLogin: true,
        });
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      throw takenIdentifierError(error) ?? error;
    }
  }

  /**
   * Password login. Unknown users cost one argon2 verification like known ones and get the same
   * error, so neither the answer nor its timing tells whether an email is registered.
   */
  async login(
    input: { email?: string | null; username?: string | null; password: string; clientId?: string | null; accountId?: string | null },
    request: RequestMetadata,
  ): Promise<LoginOutcome> {
    const fields = parseInput(loginSchema, input);
    if (Boolean(fields.email) === Boolean(fields.username)) {
      throw badUserInput('email', 'Give exactly one of email and username.');
    }
    // Bounded before hashing: a megabyte password must not buy a megabyte of argon2 input.
    if (input.password.length > this.options.passwordPolicy.maxLength * 2) {
      throw badUserInput('password', `The password must be at most ${this.options.passwordPolicy.maxLength} characters long.`);
    }
    const password = normalizePassword(input.password);
    const user = await this.options.prisma.user.findUnique({
      where: fields.email ? { email: fields.email } : { usernameKey: usernameKey(fields.username ?? '') },
    });
    const isValid = user ? await this.options.hasher.verify(user.passwordHash, password) : await this.options.hasher.verifyNothing(password);
    if (!user || !isValid) {
      this.options.logger.info(
        { userId: user?.id ?? null, ip: request.ip, userAgent: request.userAgent, reason: user ? 'WRONG_PASSWORD' : 'UNKNOWN_USER' },
        'login failed',
      );
      throw invalidCredentials();
    }

    const memberships = await this.membershipsOf(user.id);
    if (memberships.length === 0) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of any account.');
    const clientId = fields.clientId ?? null;
    if (fields.accountId) {
      const chosen = memberships.find((membership) => membership.accountId === fields.accountId);
      if (!chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
      return this.startSession(user, chosen, clientId, request);
    }
    if (memberships.length === 1) return this.startSession(user, memberships[0]!, clientId, request);
    return this.offerAccountChoice(user, memberships, clientId, request);
  }

  async selectAccount(input: { selectionToken: string; accountId: string }): Promise<SessionGrant> {
    const fields = parseInput(selectAccountSchema, input);
    const selection = await this.findPendingSelection(fields.selectionToken);
    const memberships = await this.membershipsOf(selection.userId);
    const chosen = memberships.find((membership) => membership.accountId === fields.accountId);
    // Checked before the token is spent, so a wrong pick can be corrected with the same token.
    if (!chosen) throw forbidden(ErrorReason.NOT_A_MEMBER, 'You are not a member of that account.');
    const { prisma, sessions, clock } = this.options;
    return prisma.$transaction(async (transaction) => {
      const consumed = await transaction.accountSelection.updateMany({
        where: { id: selection.id, consumedAt: null },
        data: { consumedAt: clock.now() },
      });
      if (consumed.count === 0) throw invalidSelectionToken();
      const user = await transaction.user.findUniqueOrThrow({ where: { id: selection.userId } });
      return sessions.start(transaction, {
        user,
        account: chosen.account,
        role: chosen.roleName,
        clientId: selection.clientId,
        request: { ip: selection.ip, userAgent: selection.userAgent },
        isLogin: true,
      });
    }, TRANSACTION_OPTIONS);
  }

  /** The account list of a pending selection again, for a separate selection page. */
  async loginAccounts(selectionToken: string): Promise<AccountChoice> {
    const selection = await this.findPendingSelection(parseInput(tokenField, selectionToken));
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: selection.userId } });
    return this.describeChoice(selectionToken, selection.expiresAt, user, await this.membershipsOf(user.id));
  }

  private async startSession(user: User, membership: MembershipWithAccount, clientId: string | null, request: RequestMetadata): Promise<SessionGrant> {
    return this.options.prisma.$transaction(
      (transaction) =>
        this.options.sessions.start(transaction, {
          user,
          account: membership.account,
          role: membership.roleName,
          clientId,
          request,
          isLogin: true,
        }),
      TRANSACTION_OPTIONS,
    );
  }

  private async offerAccountChoice(
    user: User,
    memberships: readonly MembershipWithAccount[],
    clientId: string | null,
    request: RequestMetadata,
  ): Promise<AccountChoice> {
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.selection);
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

  private async findPendingSelection(selectionToken: string) {
    const presented = parseOpaqueToken(TokenPrefix.selection, selectionToken);
    if (!presented) throw invalidSelectionToken();
    const selection = await this.options.prisma.accountSelection.findUnique({ where: { id: presented.id } });
    if (!selection || !secretMatches(presented.secret, selection.secretHash) || selection.consumedAt) {
      throw invalidSelectionToken();
    }
    if (selection.expiresAt <= this.options.clock.now()) {
      throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The selection token has expired; log in again.');
    }
    return selection;
  }

  private membershipsOf(userId: string): Promise<MembershipWithAccount[]> {
    return this.options.prisma.membership.findMany({
      where: { userId },
      include: { account: true },
      orderBy: [{ lastUsedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'asc' }],
    });
  }
}

const invalidSelectionToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The selection token is invalid or already used.');

/**
 * Sign-up says plainly that an email or username is taken: a user must be told why sign-up failed,
 * and the same fact is learnable from any "forgot password" flow. What it never reveals is anything
 * else about that account; and login, which attackers can hammer, stays enumeration-proof.
 */
function takenIdentifierError(error: unknown) {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const target = JSON.stringify(error.meta ?? {});
  return target.includes('usernameKey')
    ? badUserInput('username', 'That username is taken.', ErrorReason.USERNAME_TAKEN)
    : badUserInput('email', 'An account with that email already exists.', ErrorReason.EMAIL_TAKEN);
}
