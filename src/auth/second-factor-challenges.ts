import { z } from 'zod';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { ErrorReason, unauthenticated } from '../errors';
import type { Prisma, PrismaClient, User } from '../generated/prisma/client';
import { parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import type { SecondFactorProof } from '../two-factor/second-factor-proof';

/** What login answers instead of a session while the second factor is outstanding. */
export interface TwoFactorChallenge {
  readonly challengeToken: string;
  readonly expiresAt: Date;
}

export interface ChallengeStart {
  readonly userId: string;
  /** The account already chosen, or null to choose once the second factor is in. */
  readonly accountId: string | null;
  readonly clientId: string | null;
  readonly request: RequestMetadata;
}

/** A challenge whose second factor was given: the login continues from here. */
export interface PassedChallenge {
  readonly id: string;
  readonly userId: string;
  readonly accountId: string | null;
  readonly clientId: string | null;
}

export interface SecondFactorChallengesOptions {
  readonly prisma: PrismaClient;
  readonly clock: Clock;
  readonly proof: SecondFactorProof;
  readonly challengeTtlSeconds: number;
}

type Writer = PrismaClient | Prisma.TransactionClient;

const codeField = z.string().max(64, 'too long');

/** The login step between a good password and a session, for a user with 2FA on: `ghc_` challenges. */
export class SecondFactorChallenges {
  constructor(private readonly options: SecondFactorChallengesOptions) {}

  /** Records a login that passed the password step and owes the second factor; `writer` may be the caller's transaction. */
  async start(writer: Writer, start: ChallengeStart): Promise<TwoFactorChallenge> {
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.challenge);
    const expiresAt = addSeconds(now, this.options.challengeTtlSeconds);
    await writer.loginChallenge.create({
      data: {
        id: token.id,
        userId: start.userId,
        secretHash: hashSecret(token.secret),
        accountId: start.accountId,
        clientId: start.clientId,
        userAgent: start.request.userAgent,
        ip: start.request.ip,
        createdAt: now,
        expiresAt,
      },
    });
    return { challengeToken: token.token, expiresAt };
  }

  /**
   * Whether a pending account selection still owes the second factor. A selection issued after a
   * passed challenge carries that challenge's id (see LoginService); any other selection of a user
   * with 2FA on was issued on the password alone, before 2FA was turned on.
   */
  async isSecondFactorOutstanding(writer: Writer, user: User, selectionId: string): Promise<boolean> {
    if (user.totpEnabledAt === null) return false;
    const challenge = await writer.loginChallenge.findUnique({ where: { id: selectionId }, select: { userId: true, consumedAt: true } });
    return !(challenge?.userId === user.id && challenge.consumedAt !== null);
  }

  /**
   * The one place a login's second factor is checked: the challenge must be genuine, live and
   * unused, the code good once (see SecondFactorCodes). Challenge and code are spent in one
   * transaction: a wrong or replayed code leaves the challenge for another try, and of two racing
   * requests only one succeeds.
   */
  async verify(challengeToken: string, code: string, request: RequestMetadata): Promise<PassedChallenge> {
    const presented = parseInput(codeField, code, 'code');
    const challenge = await this.findLive(parseInput(tokenField, challengeToken, 'challengeToken'));
    const user = await this.options.prisma.user.findUniqueOrThrow({ where: { id: challenge.userId } });
    // Turned off since the password step: the challenge no longer describes this user's login.
    if (user.totpSecret === null) throw invalidChallenge();
    await this.options.proof.spendOrRefuse(user, presented, { userId: user.id, sessionId: null }, 'LOGIN', request, async (transaction) => {
      const consumed = await transaction.loginChallenge.updateMany({
        where: { id: challenge.id, consumedAt: null },
        data: { consumedAt: this.options.clock.now() },
      });
      if (consumed.count === 0) throw invalidChallenge();
    });
    return {
      id: challenge.id,
      userId: user.id,
      accountId: challenge.accountId,
      clientId: challenge.clientId,
    };
  }

  private async findLive(challengeToken: string) {
    const presented = parseOpaqueToken(TokenPrefix.challenge, challengeToken);
    if (!presented) throw invalidChallenge();
    const challenge = await this.options.prisma.loginChallenge.findUnique({ where: { id: presented.id } });
    if (!challenge || !secretMatches(presented.secret, challenge.secretHash) || challenge.consumedAt) throw invalidChallenge();
    if (challenge.expiresAt <= this.options.clock.now()) {
      throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'The challenge has expired; log in again.');
    }
    return challenge;
  }
}

const invalidChallenge = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'The challenge token is invalid or already used.');
