import { z } from 'zod';
import type { AbuseLimits } from '../abuse/abuse-limits';
import { BuiltInRole } from '../accounts/roles';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { badUserInput, ErrorReason } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../generated/prisma/client';
import { clientIdField, displayNameField, emailField, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { PasswordPolicy } from '../passwords/password-policy';
import type { SessionGrant } from '../sessions/session-grant';
import type { SessionService } from '../sessions/session.service';
import type { EmailVerificationService } from '../users/email-verification.service';
import { newUsernameField, usernameKey, usernameSkeleton } from '../users/username';

export interface SignUpServiceOptions {
  readonly prisma: PrismaClient;
  readonly sessions: SessionService;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  readonly clock: Clock;
  readonly limits: AbuseLimits;
  readonly emailVerification: EmailVerificationService;
}

const signUpSchema = z.object({
  email: emailField,
  username: newUsernameField.nullish(),
  accountName: displayNameField.nullish(),
  clientId: clientIdField.nullish(),
});

const DEFAULT_ACCOUNT_NAME = 'Personal';

/** Sign-up: a new user, their own account and a first session. */
export class SignUpService {
  constructor(private readonly options: SignUpServiceOptions) {}

  async signUp(
    input: { email: string; password: string; username?: string | null; accountName?: string | null; clientId?: string | null },
    request: RequestMetadata,
  ): Promise<SessionGrant> {
    const fields = parseInput(signUpSchema, input);
    const userInputs = [fields.email, fields.email.split('@')[0] ?? '', fields.username ?? ''].filter(Boolean);
    // Per client IP, before the password policy and any hashing: sign-up is where accounts are farmed and
    // taken emails probed, and the strength estimate is CPU an anonymous client could otherwise spend in a
    // loop of refused passwords. A refused password therefore counts like any other attempt.
    await this.options.limits.signUp.consume(request.ip);
    const password = await this.options.passwordPolicy.check(input.password, userInputs);
    // Hash before looking for a taken email: both answers then cost the same time.
    const passwordHash = await this.options.hasher.hash(password);
    let grant: SessionGrant;
    try {
      grant = await inTransaction(this.options.prisma, async (transaction) => {
        const user = await transaction.user.create({
          data: {
            email: fields.email,
            username: fields.username ?? null,
            usernameKey: fields.username ? usernameKey(fields.username) : null,
            usernameSkeleton: fields.username ? usernameSkeleton(fields.username) : null,
            passwordHash,
            createdAt: this.options.clock.now(),
          },
        });
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
}

/**
 * Sign-up says plainly that an email or username is taken: a user must be told why sign-up failed,
 * and the same fact is learnable from any "forgot password" flow. What it never reveals is anything
 * else about that account; and login, which attackers can hammer, stays enumeration-proof.
 */
function takenIdentifierError(error: unknown) {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const target = JSON.stringify(error.meta ?? {});
  // A look-alike of a taken username is taken: telling it apart would only help the impersonator.
  return /usernameKey|usernameSkeleton/.test(target)
    ? badUserInput('username', 'That username is taken.', ErrorReason.USERNAME_TAKEN)
    : badUserInput('email', 'An account with that email already exists.', ErrorReason.EMAIL_TAKEN);
}
