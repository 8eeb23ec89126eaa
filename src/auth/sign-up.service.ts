import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import { BuiltInRole } from '../accounts/roles';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { isUniqueViolation } from '../database/unique-violation';
import { badUserInput, ErrorReason, forbidden } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { clientIdField, displayNameField, emailField, parseInput, tokenField } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { PasswordPolicy } from '../passwords/password-policy';
import type { SessionGrant } from '../sessions/session-grant';
import type { SessionService } from '../sessions/session.service';
import type { EmailVerificationService } from '../users/email-verification.service';
import { newUsernameField, usernameKey, usernameSkeleton } from '../users/username';
import type { InvitationRedeemer } from './invitation-redeemer';

export interface SignUpServiceOptions {
  readonly prisma: PrismaClient;
  readonly sessions: SessionService;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  readonly clock: Clock;
  readonly limits: AbuseLimits;
  readonly emailVerification: EmailVerificationService;
  readonly invitations: InvitationRedeemer;
}

const signUpSchema = z.object({
  email: emailField,
  username: newUsernameField.nullish(),
  accountName: displayNameField.nullish(),
  clientId: clientIdField.nullish(),
  inviteToken: tokenField.nullish(),
});

const DEFAULT_ACCOUNT_NAME = 'Personal';

type SignUpFields = z.infer<typeof signUpSchema>;

/**
 * Sign-up: a new user, their own account and a first session; or, with an inviteToken, a new user
 * joining the inviting account (see signUpInvited).
 */
export class SignUpService {
  constructor(private readonly options: SignUpServiceOptions) {}

  async signUp(
    input: { email: string; password: string; username?: string | null; accountName?: string | null; clientId?: string | null; inviteToken?: string | null },
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const fields = parseInput(signUpSchema, input);
    // Per client IP, before the password policy and any hashing: sign-up is where accounts are farmed and
    // taken emails probed, and the strength estimate is CPU an anonymous client could otherwise spend in a
    // loop of refused passwords. A refused password therefore counts like any other attempt.
    await this.options.limits.signUp.consume(request.ip);
    if (fields.inviteToken) return this.signUpInvited({ ...fields, inviteToken: fields.inviteToken }, input.password, request);
    const passwordHash = await this.checkAndHash(fields, input.password);
    let grant: SessionGrant;
    try {
      grant = await inTransaction(this.options.prisma, async (transaction) => {
        const user = await transaction.user.create({ data: this.newUser(fields, passwordHash, null) });
        // A guest of their own account until the email is verified (verification makes them owner).
        const account = await transaction.account.create({
          data: {
            name: fields.accountName ?? DEFAULT_ACCOUNT_NAME,
            createdAt: this.options.clock.now(),
            createdByUserId: user.id,
            memberships: { create: { userId: user.id, roleName: BuiltInRole.guest } },
          },
        });
        return this.options.sessions.start({
          user,
          account,
          role: BuiltInRole.guest,
          clientId: fields.clientId ?? null,
          request,
          isLogin: true,
          event: AuthEventType.SIGN_UP,
        }, transaction);
      });
    } catch (error) {
      throw takenIdentifierError(error) ?? error;
    }
    await this.options.emailVerification.sendAfterSignUp(grant.user, request);
    return grant;
  }

  /**
   * The invitation's link was mailed to the invited address, so a sign-up with that very address and the
   * link proves it: the user starts verified, joins the inviting account with the invitation's role, and
   * the session is there. No personal account is made (they can create one later); accountName is unused.
   * Any other address is refused (INVITATION_EMAIL_MISMATCH), and so is a link that is invalid, expired or
   * answered, before anything is written; the user, membership, claim and session commit together or not.
   */
  private async signUpInvited(fields: SignUpFields & { inviteToken: string }, presentedPassword: string, request: RequestMetadata): Promise<SessionGrant> {
    const { invitations, prisma, clock, sessions } = this.options;
    // Before the password work: a wrong link costs the client its sign-up budget and us no hashing.
    if ((await invitations.invitedEmail(fields.inviteToken)) !== fields.email) {
      throw forbidden(ErrorReason.INVITATION_EMAIL_MISMATCH, 'This invitation is for another email address: sign up with the address it was sent to.');
    }
    const passwordHash = await this.checkAndHash(fields, presentedPassword);
    try {
      return await inTransaction(prisma, async (transaction) => {
        const user = await transaction.user.create({ data: this.newUser(fields, passwordHash, clock.now()) });
        const { account, role } = await invitations.redeem(transaction, fields.inviteToken, user, request);
        return sessions.start({ user, account, role, clientId: fields.clientId ?? null, request, isLogin: true, event: AuthEventType.SIGN_UP }, transaction);
      });
    } catch (error) {
      throw takenIdentifierError(error) ?? error;
    }
  }

  private async checkAndHash(fields: SignUpFields, presentedPassword: string): Promise<string> {
    const userInputs = [fields.email, fields.email.split('@')[0] ?? '', fields.username ?? ''].filter(Boolean);
    const password = await this.options.passwordPolicy.check(presentedPassword, userInputs);
    // Hash before looking for a taken email: both answers then cost the same time.
    return this.options.hasher.hash(password);
  }

  private newUser(fields: SignUpFields, passwordHash: string, emailVerifiedAt: Date | null) {
    return {
      email: fields.email,
      username: fields.username ?? null,
      usernameKey: fields.username ? usernameKey(fields.username) : null,
      usernameSkeleton: fields.username ? usernameSkeleton(fields.username) : null,
      passwordHash,
      emailVerifiedAt,
      createdAt: this.options.clock.now(),
    };
  }
}

/**
 * Sign-up says plainly that an email or username is taken: a user must be told why sign-up failed,
 * and the same fact is learnable from any "forgot password" flow. What it never reveals is anything
 * else about that account; and login, which attackers can hammer, stays enumeration-proof.
 */
function takenIdentifierError(error: unknown) {
  if (!isUniqueViolation(error)) return null;
  const target = JSON.stringify(error.meta ?? {});
  // A look-alike of a taken username is taken: telling it apart would only help the impersonator.
  return /usernameKey|usernameSkeleton/.test(target)
    ? badUserInput('username', 'That username is taken.', ErrorReason.USERNAME_TAKEN)
    : badUserInput('email', 'An account with that email already exists.', ErrorReason.EMAIL_TAKEN);
}
