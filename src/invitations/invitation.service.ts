import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Mailer } from '../email/mailer';
import { invitationMessage, linkTo } from '../email/messages';
import { badUserInput, ErrorReason, forbidden, isAppError, unauthenticated } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { Invitation, PrismaClient } from '../generated/prisma/client';
import { emailField, idField, parseInput, roleNameField, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Logger } from '../logger';
import { assertMayGrant, lockActingMember } from '../members/acting-member';
import type { SessionGrant } from '../sessions/session-grant';
import { sessionRevoked } from '../sessions/session-liveness';
import type { SessionService } from '../sessions/session.service';
import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../tokens/opaque-token';
import { InvitationStatus } from './invitation.type';

export interface InvitationServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly sessions: SessionService;
  readonly mailer: Mailer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: AbuseLimits['invitations'];
  readonly publicUrl: string;
  readonly ttlSeconds: number;
}

/** An invitation as its inviter sees it. */
export type InvitationView = Invitation & { readonly status: InvitationStatus };

/** The inviting member, and the session the invitation is accepted from. */
interface Member {
  readonly userId: string;
  readonly sessionId: string;
}

/** The accepting viewer: their session's client is the new session's too. */
interface Accepter extends Member {
  readonly clientId: string | null;
}

const inviteSchema = z.object({ accountId: idField, email: emailField, role: roleNameField });

/**
 * Joining an account takes the invited person's consent: an admin invites an address, and only a user
 * who has verified that address can accept (anyone else holding the link gets INVITATION_EMAIL_MISMATCH).
 * Inviting never looks the address up among users, so the answer, its cost and its timing are the same
 * whether or not someone has an account with it; the only thing checked is membership of the inviter's
 * own account, which its member list shows them anyway.
 */
export class InvitationService {
  constructor(private readonly options: InvitationServiceOptions) {}

  async invite(inviter: Member, input: { accountId: string; email: string; role: string }, request: RequestMetadata): Promise<InvitationView> {
    const fields = parseInput(inviteSchema, input);
    // Before any work: per account, per IP, and the address's own mail budget.
    await this.options.limits.consume(fields.accountId, request.ip, fields.email);
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.invitation, uuidv7());
    const invitation = await this.writeInvitation(inviter, fields, token.id, hashSecret(token.secret), now, request);
    await this.mail(invitation, inviter.userId, token.token);
    return withStatus(invitation, now);
  }

  /**
   * Joins the invitation's account as the viewer, who must have verified the invited address; answers a
   * session in that account (the viewer's current session stays). Decided under the account's lock on
   * the inviter's role now: an invitation from someone who has since lost the right to invite (or to
   * grant that role) is no longer valid.
   */
  async accept(accepter: Accepter, presentedToken: string, request: RequestMetadata): Promise<SessionGrant> {
    const invitation = await this.findOpen(presentedToken);
    const { prisma, clock, audit } = this.options;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: accepter.userId } });
    if (user.emailVerifiedAt === null || user.email !== invitation.email) {
      throw forbidden(ErrorReason.INVITATION_EMAIL_MISMATCH, 'This invitation is for another email address: sign in with the address it was sent to, verified.');
    }
    const now = clock.now();
    return inTransaction(prisma, async (transaction) => {
      // No session is opened from one that ended meanwhile (a logout earlier in this request, or a concurrent one).
      const touched = await transaction.session.updateMany({ where: { id: accepter.sessionId, revokedAt: null }, data: { lastUsedAt: now } });
      if (touched.count === 0) throw sessionRevoked();
      const claimed = await transaction.invitation.updateMany({
        where: { id: invitation.id, acceptedAt: null, declinedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now, acceptedByUserId: user.id },
      });
      if (claimed.count === 0) throw invalidInvitation();
      await this.assertInviterMayStillGrant(transaction, invitation);
      const account = await transaction.account.findUniqueOrThrow({ where: { id: invitation.accountId } });
      try {
        await transaction.membership.create({ data: { userId: user.id, accountId: account.id, roleName: invitation.roleName, createdAt: now } });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyMember();
        throw error;
      }
      await audit.record(
        {
          type: AuthEventType.MEMBER_ADDED,
          userId: user.id,
          accountId: account.id,
          sessionId: accepter.sessionId,
          details: { role: invitation.roleName, invitationId: invitation.id, invitedByUserId: invitation.invitedByUserId },
          ...request,
        },
        transaction,
      );
      return this.options.sessions.start(
        { user, account, role: invitation.roleName, clientId: accepter.clientId, request, isLogin: false, event: AuthEventType.INVITATION_ACCEPTED },
        transaction,
      );
    });
  }

  /** The link is the proof: whoever holds it may turn the invitation down, even once it has expired. */
  async decline(presentedToken: string, request: RequestMetadata): Promise<true> {
    const invitation = await this.findGenuine(presentedToken);
    const declined = await this.options.prisma.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, declinedAt: null, revokedAt: null },
      data: { declinedAt: this.options.clock.now() },
    });
    if (declined.count === 0) throw invalidInvitation();
    await this.options.audit.record({ type: AuthEventType.INVITATION_DECLINED, accountId: invitation.accountId, details: { invitationId: invitation.id }, ...request });
    return true;
  }

  /**
   * One invitation per account and address: inviting again gives it a new id and secret (the old link
   * stops working), role and expiry. Decided under the account's lock on the inviter's role now.
   */
  private async writeInvitation(
    inviter: Member,
    fields: { accountId: string; email: string; role: string },
    id: string,
    secretHash: string,
    now: Date,
    request: RequestMetadata,
  ): Promise<Invitation> {
    const { prisma, roles, audit } = this.options;
    const fresh = { id, roleName: fields.role, invitedByUserId: inviter.userId, secretHash, createdAt: now, expiresAt: addSeconds(now, this.options.ttlSeconds) };
    const reopened = { ...fresh, acceptedAt: null, acceptedByUserId: null, declinedAt: null, revokedAt: null };
    try {
      return await inTransaction(prisma, async (transaction) => {
        const acting = await lockActingMember(transaction, roles, { userId: inviter.userId, accountId: fields.accountId, feature: 'invitations', operation: 'c' });
        await assertMayGrant(transaction, roles, acting, fields.role);
        // The same one statement whether or not the address has a user: only membership here is told.
        const members = await transaction.$queryRaw<unknown[]>`SELECT 1 FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
          WHERE m."accountId" = ${fields.accountId}::uuid AND u."email" = ${fields.email}`;
        if (members.length > 0) throw alreadyMember();
        const invitation = await transaction.invitation.upsert({
          where: { accountId_email: { accountId: fields.accountId, email: fields.email } },
          create: { ...fresh, accountId: fields.accountId, email: fields.email },
          update: reopened,
        });
        await audit.record(
          {
            type: AuthEventType.INVITATION_SENT,
            userId: inviter.userId,
            sessionId: inviter.sessionId,
            accountId: fields.accountId,
            details: { invitationId: invitation.id, email: fields.email, role: fields.role },
            ...request,
          },
          transaction,
        );
        return invitation;
      });
    } catch (error) {
      // Two invitations of one address at once: the account's lock orders them, so this is not expected; say so plainly if it happens.
      if (isUniqueViolation(error)) throw badUserInput('email', 'That address was invited at the same moment; try again.');
      throw error;
    }
  }

  /** Mail failures are the operator's to see (logged), not the inviter's: the invitation stands and can be sent again. */
  private async mail(invitation: Invitation, inviterUserId: string, token: string): Promise<void> {
    const { prisma, mailer, publicUrl, ttlSeconds, logger } = this.options;
    try {
      const [account, inviter] = await Promise.all([
        prisma.account.findUniqueOrThrow({ where: { id: invitation.accountId } }),
        prisma.user.findUniqueOrThrow({ where: { id: inviterUserId } }),
      ]);
      const message = invitationMessage(
        invitation.email,
        { accountName: account.name, role: invitation.roleName, invitedBy: inviter.username ?? inviter.email },
        linkTo(publicUrl, 'accept-invitation', token),
        Math.round(ttlSeconds / 86_400),
      );
      await mailer.send(message);
    } catch (error) {
      logger.error({ err: error, invitationId: invitation.id }, 'could not send the invitation email');
    }
  }

  private async assertInviterMayStillGrant(transaction: Prisma.TransactionClient, invitation: Invitation): Promise<void> {
    if (invitation.invitedByUserId === null) throw invalidInvitation();
    try {
      const inviter = await lockActingMember(transaction, this.options.roles, {
        userId: invitation.invitedByUserId,
        accountId: invitation.accountId,
        feature: 'invitations',
        operation: 'c',
      });
      await assertMayGrant(transaction, this.options.roles, inviter, invitation.roleName);
    } catch (error) {
      if (!isAppError(error)) throw error;
      throw unauthenticated(ErrorReason.INVALID_TOKEN, 'This invitation is no longer valid: ask for a new one.');
    }
  }

  /** The invitation a link names, open for acceptance: genuine, not answered, not revoked, not expired. */
  private async findOpen(presentedToken: string): Promise<Invitation> {
    const invitation = await this.findGenuine(presentedToken);
    if (invitation.acceptedAt || invitation.declinedAt || invitation.revokedAt) throw invalidInvitation();
    if (invitation.expiresAt <= this.options.clock.now()) throw unauthenticated(ErrorReason.TOKEN_EXPIRED, 'This invitation has expired; ask for a new one.');
    return invitation;
  }

  private async findGenuine(presentedToken: string): Promise<Invitation> {
    const presented = parseOpaqueToken(TokenPrefix.invitation, parseInput(tokenField, presentedToken, 'token'));
    if (!presented) throw invalidInvitation();
    const invitation = await this.options.prisma.invitation.findUnique({ where: { id: presented.id } });
    if (!invitation || !secretMatches(presented.secret, invitation.secretHash)) throw invalidInvitation();
    return invitation;
  }
}

export function withStatus(invitation: Invitation, now: Date): InvitationView {
  const status = invitation.acceptedAt
    ? InvitationStatus.ACCEPTED
    : invitation.declinedAt
      ? InvitationStatus.DECLINED
      : invitation.revokedAt
        ? InvitationStatus.REVOKED
        : invitation.expiresAt <= now
          ? InvitationStatus.EXPIRED
          : InvitationStatus.PENDING;
  return { ...invitation, status };
}

const invalidInvitation = () => unauthenticated(ErrorReason.INVALID_TOKEN, 'This invitation link is invalid or was already answered.');
const alreadyMember = () => badUserInput('email', 'That person is already a member.', ErrorReason.ALREADY_MEMBER);

const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
