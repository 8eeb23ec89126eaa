import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import { addSeconds } from '../clock';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import type { Transaction } from '../database/transaction';
import { isUniqueViolation } from '../database/unique-violation';
import type { Mailer } from '../email/mailer';
import { AppError, badUserInput, ErrorCode, ErrorReason, forbidden } from '../errors';
import type { Invitation, PrismaClient } from '../generated/prisma/client';
import { emailField, idField, parseInput, roleNameField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { Logger } from '../logger';
import { assertMayGrant, lockActingMember } from '../members/acting-member';
import type { SessionGrant } from '../sessions/session-grant';
import { sessionRevoked } from '../sessions/session-liveness';
import type { SessionService } from '../sessions/session.service';
import { createOpaqueToken, hashSecret, TokenPrefix } from '../tokens/opaque-token';
import { findGenuine, findOpen, invalidInvitation, withStatus } from './invitation-link';
import type { InvitationView } from './invitation-link';
import { mailInvitation } from './invitation-mail';
import { alreadyMember, joinByInvitation } from './invitation-membership';

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

/** The inviting member, and the session the invitation is accepted from. */
interface Member {
  readonly userId: string;
  readonly sessionId: string;
}

/** A member acting on an invitation by id: only invitations of their session's account are theirs to name. */
interface SessionMember extends Member {
  readonly accountId: string;
}

/** The accepting viewer: their session's client is the new session's too. */
interface Accepter extends Member {
  readonly clientId: string | null;
}

const inviteSchema = z.object({ accountId: idField, email: emailField, role: roleNameField });

/** Not yet answered: the only invitations that can still be resent or revoked. */
const unansweredWhere = { acceptedAt: null, declinedAt: null, revokedAt: null } as const;

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
    // Whether the role exists in the account, and the inviter may grant it, is decided under the lock.
    // Before any work: per IP, per inviter, per account, and the address's own mail budget.
    await this.options.limits.consume(fields.accountId, request.ip, fields.email, inviter.userId);
    const now = this.options.clock.now();
    const token = createOpaqueToken(TokenPrefix.invitation, uuidv7());
    const invitation = await this.writeInvitation(inviter, fields, token.id, hashSecret(token.secret), now, request);
    await mailInvitation(this.options, invitation, inviter.userId, token.token);
    return withStatus(invitation, now);
  }

  /**
   * Mails a PENDING or EXPIRED invitation again with a new secret and expiry: the old link stops working.
   * The same limits as inviting, and the resender must hold invitations:c and may grant its role; they
   * become its inviter (whose rights acceptance checks).
   */
  async resend(resender: SessionMember, id: string, request: RequestMetadata): Promise<InvitationView> {
    const invitationId = parseInput(idField, id, 'id');
    const { prisma, roles, audit, clock, limits } = this.options;
    const known = await prisma.invitation.findFirst({ where: { id: invitationId, accountId: resender.accountId } });
    if (!known) throw unknownInvitation();
    // Before the limits: a refusal that needs no mail spends no budget.
    if (known.acceptedAt || known.declinedAt || known.revokedAt) throw notOpen();
    await limits.consume(known.accountId, request.ip, known.email, resender.userId);
    const now = clock.now();
    const token = createOpaqueToken(TokenPrefix.invitation, known.id);
    const invitation = await inTransaction(prisma, async (transaction) => {
      const acting = await lockActingMember(transaction, roles, { userId: resender.userId, accountId: known.accountId, feature: 'invitations', operation: 'c' });
      await assertMayGrant(transaction, roles, acting, known.roleName);
      const renewed = await transaction.invitation.updateMany({
        where: { id: known.id, accountId: known.accountId, ...unansweredWhere },
        data: { secretHash: hashSecret(token.secret), expiresAt: addSeconds(now, this.options.ttlSeconds), invitedByUserId: resender.userId },
      });
      if (renewed.count === 0) throw notOpen();
      await audit.record(
        {
          type: AuthEventType.INVITATION_RESENT,
          userId: resender.userId,
          sessionId: resender.sessionId,
          accountId: known.accountId,
          details: { invitationId: known.id, email: known.email, role: known.roleName },
          ...request,
        },
        transaction,
      );
      return transaction.invitation.findUniqueOrThrow({ where: { id: known.id } });
    });
    await mailInvitation(this.options, invitation, resender.userId, token.token);
    return withStatus(invitation, now);
  }

  /**
   * Revokes an unanswered invitation of the revoker's session account: its link stops working at once.
   * Revoking one already revoked answers true again (a retried request) and records nothing more.
   */
  async revoke(revoker: SessionMember, id: string, request: RequestMetadata): Promise<true> {
    const invitationId = parseInput(idField, id, 'id');
    const { prisma, roles, audit, clock } = this.options;
    return inTransaction(prisma, async (transaction): Promise<true> => {
      await lockActingMember(transaction, roles, { userId: revoker.userId, accountId: revoker.accountId, feature: 'invitations', operation: 'd' });
      // One query for an unknown id and another account's: both answer NOT_FOUND, so no tenant's ids leak.
      const invitation = await transaction.invitation.findFirst({ where: { id: invitationId, accountId: revoker.accountId } });
      if (!invitation) throw unknownInvitation();
      const revoked = await transaction.invitation.updateMany({ where: { id: invitation.id, ...unansweredWhere }, data: { revokedAt: clock.now() } });
      if (revoked.count === 0) {
        if (invitation.revokedAt) return true;
        throw notOpen();
      }
      await audit.record(
        {
          type: AuthEventType.INVITATION_REVOKED,
          userId: revoker.userId,
          sessionId: revoker.sessionId,
          accountId: invitation.accountId,
          details: { invitationId: invitation.id, email: invitation.email, role: invitation.roleName },
          ...request,
        },
        transaction,
      );
      return true;
    });
  }

  /**
   * Joins the invitation's account as the viewer, who must have verified the invited address; answers a
   * session in that account (the viewer's current session stays).
   */
  async accept(accepter: Accepter, presentedToken: string, request: RequestMetadata): Promise<SessionGrant> {
    const { prisma, clock, audit, roles } = this.options;
    const invitation = await findOpen(prisma, presentedToken, clock.now());
    const user = await prisma.user.findUniqueOrThrow({ where: { id: accepter.userId } });
    if (user.emailVerifiedAt === null || user.email !== invitation.email) {
      throw forbidden(ErrorReason.INVITATION_EMAIL_MISMATCH, 'This invitation is for another email address: sign in with the address it was sent to, verified.');
    }
    const now = clock.now();
    return inTransaction(prisma, async (transaction) => {
      // No session is opened from one that ended meanwhile (a logout earlier in this request, or a concurrent one).
      const touched = await transaction.session.updateMany({ where: { id: accepter.sessionId, revokedAt: null }, data: { lastUsedAt: now } });
      if (touched.count === 0) throw sessionRevoked();
      const account = await joinByInvitation(transaction, { roles, audit }, { invitation, user, sessionId: accepter.sessionId, now }, request);
      return this.options.sessions.start(
        { user, account, role: invitation.roleName, clientId: accepter.clientId, request, isLogin: false, event: AuthEventType.INVITATION_ACCEPTED },
        transaction,
      );
    });
  }

  /** The link is the proof: whoever holds it may turn the invitation down, even once it has expired. */
  async decline(presentedToken: string, request: RequestMetadata): Promise<true> {
    const invitation = await findGenuine(this.options.prisma, presentedToken);
    const declined = await this.options.prisma.invitation.updateMany({
      where: { id: invitation.id, secretHash: invitation.secretHash, ...unansweredWhere },
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
        await assertNotMember(transaction, fields.accountId, fields.email);
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
}

/** The same one statement whether or not the address has a user: only membership here is told. */
async function assertNotMember(transaction: Transaction, accountId: string, email: string): Promise<void> {
  const members = await transaction.$queryRaw<unknown[]>`SELECT 1 FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."accountId" = ${accountId}::uuid AND u."email" = ${email}`;
  if (members.length > 0) throw alreadyMember();
}

const unknownInvitation = () => new AppError(ErrorCode.NOT_FOUND, 'There is no such invitation in this account.', { field: 'id' });
const notOpen = () => badUserInput('id', 'That invitation was already accepted, declined or revoked.', ErrorReason.INVITATION_NOT_OPEN);
