import { randomBytes } from 'node:crypto';
import { linksIn } from '../../src/email/messages';
import type { TestServer } from './test-server';

let sequence = 0;

/** A password no policy refuses: random, so it is in no dictionary. */
export const strongPassword = (): string => `Gh-${randomBytes(12).toString('base64url')}`;

export const uniqueEmail = (name = 'user'): string => `${name}.${Date.now().toString(36)}.${++sequence}@example.test`;

export const AUTH_PAYLOAD_FIELDS = `
  tokenType accessToken expiresAt refreshToken refreshExpiresAt role
  user { id email username emailVerified createdAt }
  account { id name createdAt }
  access { feature access }
`;

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on AuthPayload { ${AUTH_PAYLOAD_FIELDS} }
    ... on AccountSelectionRequired { selectionToken expiresAt lastAccountId accounts { id name role } }
  }
}`;

export const REFRESH = `mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;

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

export const VERIFY_EMAIL = `mutation Verify($token: String!) { verifyEmail(token: $token) { id emailVerified } }`;

/**
 * The token in the newest link of kind `path` ("verify-email", "reset-password") mailed to `to`,
 * read from the outbox. Waits briefly: some mail is sent after the response.
 */
export async function mailedToken(server: TestServer, to: string, path: string): Promise<string> {
  const pattern = new RegExp(`/${path}\\?token=([^\\s"<&]+)`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = await server.prisma.outboxMessage.findMany({ where: { to }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const token = messages.map((message) => pattern.exec(message.text)?.[1]).find(Boolean);
    if (token) return decodeURIComponent(token);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${path} mail to ${to} in the outbox`);
}

/** The whole newest link of kind `path` mailed to `to`, exactly as the message's text has it (see mailedToken). */
export async function mailedLink(server: TestServer, to: string, path: string): Promise<string> {
  const token = await mailedToken(server, to, path);
  const links = (await outboxMessagesTo(server, to)).flatMap((message) => linksIn(message.text));
  const link = links.find((candidate) => {
    const url = new URL(candidate);
    return url.pathname === `/${path}` && url.searchParams.get('token') === token;
  });
  if (!link) throw new Error(`no ${path} link to ${to} in the outbox`);
  return link;
}

export const INVITE_MEMBER = `mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { id email role status expiresAt createdAt account { id } } }`;
export const ACCEPT_INVITATION = `mutation Accept($token: String!) { acceptInvitation(token: $token) { ${AUTH_PAYLOAD_FIELDS} } }`;

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

/** Logs in straight into one account, skipping the selection step. */
export async function loginTo(server: TestServer, user: SignedUpUser, accountId: string, clientId?: string) {
  const response = await server.graphql(LOGIN, { input: { email: user.email, password: user.password, accountId, clientId } });
  if (response.errors) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return response.data!.login as { accessToken: string; refreshToken: string; role: string };
}

export const ME = `query Me { me { id email } }`;

export const SWITCH_ACCOUNT = `mutation Switch($accountId: ID!) { switchAccount(accountId: $accountId) { ${AUTH_PAYLOAD_FIELDS} } }`;

/** Two signed-up users; `member` is added to `owner`'s account with `role`, so they belong to two accounts. */
export async function memberOfTwoAccounts(server: TestServer, role = 'member'): Promise<{ owner: SignedUpUser; member: SignedUpUser }> {
  const owner = await signUp(server, { accountName: 'Shared Workshop' });
  const member = await signUp(server, { accountName: 'Own Studio' });
  await addMember(server, owner, member, role);
  return { owner, member };
}

export const LOGOUT = `mutation Logout($input: LogoutInput) { logout(input: $input) }`;

/** Presents a refresh token; the raw response, so a test can assert on the refusal as well as the pair. */
export const presentRefreshToken = (server: TestServer, refreshToken: string, clientId?: string | null) =>
  server.graphql(REFRESH, { input: { refreshToken, clientId } });

/** A JWT's claims, read without verifying it: for asserting on what the service signed. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

type ErrorsOf = { errors?: readonly { extensions?: Record<string, any> }[] };

/** The first error's extensions (code, reason, field), or undefined when the response has no error. */
export const extensionsOf = (response: ErrorsOf) => response.errors?.[0]?.extensions;

/** The first error's `extensions.reason`, or undefined. */
export const reasonIn = (response: ErrorsOf): string | undefined => extensionsOf(response)?.reason;

/** The first error's `extensions.code`, or undefined. */
export const codeIn = (response: ErrorsOf): string | undefined => extensionsOf(response)?.code;

/** Every message the outbox holds for `to`, oldest first. */
export const outboxMessagesTo = (server: TestServer, to: string) =>
  server.prisma.outboxMessage.findMany({ where: { to }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

/** Logs a one-account user in by email from a given client and user agent; throws on anything but an AuthPayload. */
export async function loginFrom(server: TestServer, user: Pick<SignedUpUser, 'email' | 'password'>, from: { clientId?: string; userAgent?: string } = {}) {
  const response = await server.graphql(
    LOGIN,
    { input: { email: user.email, password: user.password, clientId: from.clientId } },
    { headers: from.userAgent ? { 'user-agent': from.userAgent } : {} },
  );
  if (response.errors || response.data?.login?.__typename !== 'AuthPayload') throw new Error(`login failed: ${JSON.stringify(response)}`);
  return response.data!.login as { accessToken: string; refreshToken: string; role: string };
}
