import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { ErrorReason, unauthenticated } from '../errors';
import type { EmailToken, Prisma, PrismaClient } from '../generated/prisma/client';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';

/** What a mailed link is for; each purpose has its own token prefix, so one can never serve as the other. */
export const EmailTokenPurpose = {
  VERIFY_EMAIL: { name: 'VERIFY_EMAIL', prefix: TokenPrefix.emailVerification },
  RESET_PASSWORD: { name: 'RESET_PASSWORD', prefix: TokenPrefix.passwordReset },
  /** Sent to the new address of an email change: its row's email is that new address. */
  CHANGE_EMAIL: { name: 'CHANGE_EMAIL', prefix: TokenPrefix.emailChange },
} as const;
export type EmailTokenPurpose = (typeof EmailTokenPurpose)[keyof typeof EmailTokenPurpose];

type Database = PrismaClient | Prisma.TransactionClient;

/** Single-use, expiring tokens sent by email. Only a hash of each is stored. */
export class EmailTokens {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Issues a token and spends every earlier one of the same purpose: only the newest link works, even
   * when two requests ask at once. Both steps run in one transaction under the user's row lock, so the
   * second request waits for the first and then spends its link.
   */
  async issue(purpose: EmailTokenPurpose, userId: string, email: string, ttlSeconds: number): Promise<string> {
    const token = createOpaqueToken(purpose.prefix);
    await inTransaction(this.prisma, async (transaction) => {
      await transaction.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
      const now = this.clock.now();
      await transaction.emailToken.updateMany({ where: { userId, purpose: purpose.name, consumedAt: null }, data: { consumedAt: now } });
      await transaction.emailToken.create({
        data: { id: token.id, userId, purpose: purpose.name, email, secretHash: hashSecret(token.secret), createdAt: now, expiresAt: addSeconds(now, ttlSeconds) },
      });
    });
    return token.token;
  }

  /** The token's row if it is genuine, of this purpose, unspent and unexpired; UNAUTHENTICATED otherwise. Spends nothing. */
  async check(purpose: EmailTokenPurpose, presentedToken: string, database: Database = this.prisma): Promise<EmailToken> {
    const presented = parseOpaqueToken(purpose.prefix, presentedToken);
    if (!presented) throw invalidToken();
    const row = await database.emailToken.findUnique({ where: { id: presented.id } });
    if (!row || row.purpose !== purpose.name || row.consumedAt || !secretMatches(presented.secret, row.secretHash)) throw invalidToken();
    if (row.expiresAt <= this.clock.now()) throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'This link has expired; ask for a new one.');
    return row;
  }

  /** Spends every unspent token of this purpose the user holds: an earlier link stops working though no new one was sent. */
  async withdraw(purpose: EmailTokenPurpose, userId: string, database: Database = this.prisma): Promise<void> {
    await database.emailToken.updateMany({ where: { userId, purpose: purpose.name, consumedAt: null }, data: { consumedAt: this.clock.now() } });
  }

  /** Spends a checked token inside the caller's transaction: of two concurrent uses only one succeeds. */
  async spend(token: EmailToken, database: Database): Promise<void> {
    const spent = await database.emailToken.updateMany({ where: { id: token.id, consumedAt: null }, data: { consumedAt: this.clock.now() } });
    if (spent.count === 0) throw invalidToken();
  }
}

const invalidToken = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'This link is invalid or was already used.');
