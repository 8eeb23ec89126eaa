import { randomBytes } from 'node:crypto';
import { ACCEPT_INVITATION, INVITE_MEMBER, LOGIN, REFRESH, REQUEST_RESET, SELECT_ACCOUNT, SIGN_UP, VERIFY_EMAIL } from './documents';
import type { AuthPayload, LoginResult } from './documents';
import { mailedToken, outboxMessagesTo } from './outbox';
import { sleep } from './sleep';
import type { TestServer } from './test-server';

let sequence = 0;

/** A password no policy refuses: random, so it is in no dictionary. */
export const strongPassword = (): string => `Gh-${randomBytes(12).toString('base64url')}`;

export const uniqueEmail = (name = 'user'): string => `${name}.${Date.now().toString(36)}.${++sequence}@example.test`;

let clientIpSequence = 0;

/** A client address no other request of this test file came from (send it as X-Forwarded-For), for per-IP limits. */
export const uniqueClientIp = (): string => `198.51.100.${++clientIpSequence}`;

export interface SignedUpUser {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
  readonly accountId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/**
 * Signs a user up and, unless `unverified`, verifies their email the way a person would: the link
 * from the outbox, then a refresh so the tokens carry the owner role verification granted.
 */
export async function signUp(
  server: TestServer,
  input: { email?: string; password?: string; username?: string; accountName?: string; clientId?: string; unverified?: boolean } = {},
): Promise<SignedUpUser> {
  const { unverified, ...fields } = input;
  const email = fields.email ?? uniqueEmail();
  const password = fields.password ?? strongPassword();
  const response = await server.graphql(SIGN_UP, { input: { ...fields, email, password } });
  if (response.errors) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  const payload = response.data!.signUp;
  const user = {
    email,
    password,
    userId: payload.user.id,
    accountId: payload.account.id,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
  };
  if (unverified) return user;

  const verified = await server.graphql(VERIFY_EMAIL, { token: await mailedToken(server, payload.user.email, 'verify-email') });
  if (verified.errors) throw new Error(`verifyEmail failed: ${JSON.stringify(verified.errors)}`);
  const refreshed = await server.graphql(REFRESH, { input: { refreshToken: payload.refreshToken, clientId: fields.clientId } });
  if (refreshed.errors) throw new Error(`refresh after verification failed: ${JSON.stringify(refreshed.errors)}`);
  return { ...user, accessToken: refreshed.data!.refreshToken.accessToken, refreshToken: refreshed.data!.refreshToken.refreshToken };
}

/**
 * Makes `member` a member of `owner`'s current account with `role` the way people do it: the owner
 * invites their address, and `member` (verified, signed in) accepts with the link from the outbox.
 * `member`'s own session stays as it was.
 */
export async function addMember(server: TestServer, owner: SignedUpUser, member: SignedUpUser, role: string): Promise<void> {
  const invited = await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email: member.email, role } }, { token: owner.accessToken });
  if (invited.errors) throw new Error(`inviteMember failed: ${JSON.stringify(invited.errors)}`);
  const token = await mailedToken(server, member.email, 'accept-invitation');
  const accepted = await server.graphql(ACCEPT_INVITATION, { token }, { token: member.accessToken });
  if (accepted.errors) throw new Error(`acceptInvitation failed: ${JSON.stringify(accepted.errors)}`);
}

/** Two signed-up users; `member` is added to `owner`'s account with `role`, so they belong to two accounts. */
export async function memberOfTwoAccounts(server: TestServer, role = 'member'): Promise<{ owner: SignedUpUser; member: SignedUpUser }> {
  const owner = await signUp(server, { accountName: 'Shared Workshop' });
  const member = await signUp(server, { accountName: 'Own Studio' });
  await addMember(server, owner, member, role);
  return { owner, member };
}

/** The tokens of a login that must have opened a session: anything else fails the step that asked. */
function openedSession(result: LoginResult | undefined, step: string): AuthPayload {
  if (result?.__typename !== 'AuthPayload') throw new Error(`${step}: expected an AuthPayload, got ${JSON.stringify(result)}`);
  return result as AuthPayload;
}

/**
 * Sends LOGIN with `input`, from `clientIp` (as X-Forwarded-For, which the service believes from
 * loopback) when given; the raw response, for tests of what a login answers.
 */
export const attemptLogin = (server: TestServer, input: Record<string, unknown>, clientIp?: string) =>
  server.graphql(LOGIN, { input }, clientIp ? { headers: { 'x-forwarded-for': clientIp } } : {});

/** Logs in straight into one account, skipping the selection step. */
export async function loginTo(server: TestServer, user: SignedUpUser, accountId: string, clientId?: string): Promise<AuthPayload> {
  const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password, accountId, clientId } });
  if (response.errors) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return openedSession(response.data?.login, 'login');
}

/** Logs a one-account user in by email from a given client and user agent; throws on anything but an AuthPayload. */
export async function loginFrom(
  server: TestServer,
  user: Pick<SignedUpUser, 'email' | 'password'>,
  from: { clientId?: string; userAgent?: string } = {},
): Promise<AuthPayload> {
  const response = await server.graphql(
    LOGIN,
    { input: { email: user.email, password: user.password, clientId: from.clientId } },
    { headers: from.userAgent ? { 'user-agent': from.userAgent } : {} },
  );
  if (response.errors) throw new Error(`login failed: ${JSON.stringify(response)}`);
  return openedSession(response.data?.login, 'login');
}

/** The selection token a password login of a user in several accounts answers with (asserted to be one). */
export async function startAccountSelection(server: TestServer, user: SignedUpUser): Promise<string> {
  const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });
  expect(response.data?.login?.__typename).toBe('AccountSelectionRequired');
  return response.data!.login.selectionToken!;
}

/** Finishes a login with the account chosen; the raw response. */
export const selectAccount = (server: TestServer, selectionToken: string, accountId: string) =>
  server.graphql(SELECT_ACCOUNT, { input: { selectionToken, accountId } });

/**
 * Asks for a password reset for `email` and reads the token from the outbox. The mail goes out after
 * the response, so this waits for the new message before reading the newest link.
 */
export async function requestResetToken(server: TestServer, email: string): Promise<string> {
  const mailedBefore = (await outboxMessagesTo(server, email)).length;
  const response = await server.graphql(REQUEST_RESET, { email });
  if (response.errors) throw new Error(`requestPasswordReset failed: ${JSON.stringify(response.errors)}`);
  for (let attempt = 0; attempt < 50 && (await outboxMessagesTo(server, email)).length === mailedBefore; attempt++) await sleep(20);
  return mailedToken(server, email, 'reset-password');
}
