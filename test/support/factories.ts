import { randomBytes } from 'node:crypto';
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

export async function signUp(
  server: TestServer,
  input: { email?: string; password?: string; username?: string; accountName?: string; clientId?: string } = {},
): Promise<SignedUpUser> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? strongPassword();
  const response = await server.graphql(SIGN_UP, { input: { ...input, email, password } });
  if (response.errors) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  const payload = response.data!.signUp;
  return {
    email,
    password,
    userId: payload.user.id,
    accountId: payload.account.id,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
  };
}

/** Adds `member` to `owner`'s current account with `role`, as the owner. */
export async function addMember(server: TestServer, owner: SignedUpUser, member: SignedUpUser, role: string): Promise<void> {
  const response = await server.graphql(
    `mutation Add($input: AddMemberInput!) { addMember(input: $input) { role } }`,
    { input: { accountId: owner.accountId, email: member.email, role } },
    { token: owner.accessToken },
  );
  if (response.errors) throw new Error(`addMember failed: ${JSON.stringify(response.errors)}`);
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
