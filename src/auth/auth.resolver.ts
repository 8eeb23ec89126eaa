import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import type { GraphQLContext } from '../graphql/context';
import { clientIdField, idField, parseInput, tokenField } from '../graphql/input-validation';
import { actAs, requireViewer } from '../graphql/viewer';
import type { RefreshTokenService } from '../sessions/refresh-token.service';
import type { SessionGrant } from '../sessions/session-grant';
import type { SessionService } from '../sessions/session.service';
import type { AccountSelectionService } from './account-selection.service';
import { LoginInput, RefreshTokenInput, SelectAccountInput, SignUpInput } from './auth.inputs';
import { AccountSelectionRequiredType, AuthPayloadType, LoginResult } from './auth.payloads';
import type { AccountChoice, LoginOutcome } from './auth.types';
import type { LoginService } from './login.service';
import type { SignUpService } from './sign-up.service';

/** The services these resolvers reach through the context. */
type AuthContext = GraphQLContext<{ readonly signUp: SignUpService; readonly login: LoginService; readonly accountSelection: AccountSelectionService; readonly refreshTokens: RefreshTokenService; readonly sessions: SessionService }>;

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayloadType, {
    description:
      'Creates a user, their own account (as owner) and a session; with an inviteToken, a verified user who joins the inviting account instead (no account of their own), with a session there.',
  })
  @ChecksCredential()
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() context: AuthContext): Promise<SessionGrant> {
    return context.services.signUp.signUp(input, context.request).then((grant) => actAs(context, grant));
  }

  @Mutation(() => LoginResult, {
    description:
      'AuthPayload when the user has one account (or accountId names one of theirs); AccountSelectionRequired when there are several; TwoFactorRequired first when 2FA is on.',
  })
  @ChecksCredential()
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() context: AuthContext): Promise<LoginOutcome> {
    const outcome = await context.services.login.login(input, context.request);
    return 'accessToken' in outcome ? actAs(context, outcome) : outcome;
  }

  @Mutation(() => LoginResult, {
    description: 'Completes a login that returned AccountSelectionRequired: AuthPayload, or TwoFactorRequired when the second factor is still owed.',
  })
  @ChecksCredential()
  async selectAccount(@Arg('input', () => SelectAccountInput) input: SelectAccountInput, @Ctx() context: AuthContext): Promise<LoginOutcome> {
    const outcome = await context.services.accountSelection.selectAccount(input, context.request);
    return 'accessToken' in outcome ? actAs(context, outcome) : outcome;
  }

  @Mutation(() => LoginResult, {
    description: 'Completes a login that answered TwoFactorRequired, with a TOTP or recovery code; then goes on as login would.',
  })
  @ChecksCredential()
  async verifyTwoFactor(
    @Arg('challengeToken', () => String) challengeToken: string,
    @Arg('code', () => String) code: string,
    @Ctx() context: AuthContext,
  ): Promise<LoginOutcome> {
    const outcome = await context.services.login.verifyTwoFactor({ challengeToken, code }, context.request);
    return 'accessToken' in outcome ? actAs(context, outcome) : outcome;
  }

  @Mutation(() => AuthPayloadType, { description: 'A new token pair for a refresh token; the presented one is spent.' })
  @ChecksCredential()
  refreshToken(@Arg('input', () => RefreshTokenInput) input: RefreshTokenInput, @Ctx() context: AuthContext): Promise<SessionGrant> {
    const refreshToken = parseInput(tokenField, input.refreshToken, 'refreshToken');
    const clientId = input.clientId == null ? null : parseInput(clientIdField, input.clientId, 'clientId');
    return context.services.refreshTokens.refresh(refreshToken, clientId, context.request).then((grant) => actAs(context, grant));
  }

  @Mutation(() => AuthPayloadType, { description: 'Moves to another of your accounts: a new session there; the current one ends.' })
  switchAccount(@Arg('accountId', () => ID) accountId: string, @Ctx() context: AuthContext): Promise<SessionGrant> {
    const viewer = requireViewer(context);
    return context.services.sessions
      .switchAccount(viewer.sessionId, parseInput(idField, accountId, 'accountId'), context.request)
      .then((grant) => actAs(context, grant));
  }

  @Query(() => AccountSelectionRequiredType, { description: 'The account list of a pending selection again, for a separate selection page.' })
  loginAccounts(@Arg('selectionToken', () => String) selectionToken: string, @Ctx() context: AuthContext): Promise<AccountChoice> {
    return context.services.accountSelection.loginAccounts(selectionToken);
  }
}
