import { typedDocument } from './graphql-client';

/**
 * The operations many test files send, each typed with the data it selects. A document one file
 * alone sends stays in that file.
 */

export interface UserFields {
  id: string;
  email: string;
  username: string | null;
  emailVerified: boolean;
  createdAt: string;
}

export interface AccountFields {
  id: string;
  name: string;
  createdAt: string;
}

export interface Permission {
  feature: string;
  access: string;
}

export interface AuthPayload {
  tokenType: string;
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  role: string;
  user: UserFields;
  account: AccountFields;
  access: Permission[];
}

export interface AccountOption {
  id: string;
  name: string;
  role: string;
}

export interface AccountSelectionRequired {
  selectionToken: string;
  expiresAt: string;
  lastAccountId: string | null;
  accounts: AccountOption[];
}

export interface TwoFactorRequired {
  challengeToken: string;
  expiresAt: string;
}

/**
 * A LoginResult as a test reads it: `__typename` says which member of the union came, and the fields
 * of the others are absent. A test asserts the typename, then reads that member's fields.
 */
export type LoginResult = { __typename: 'AuthPayload' | 'AccountSelectionRequired' | 'TwoFactorRequired' } & Partial<
  AuthPayload & AccountSelectionRequired & TwoFactorRequired
>;

export const AUTH_PAYLOAD_FIELDS = `
  tokenType accessToken expiresAt refreshToken refreshExpiresAt role
  user { id email username emailVerified createdAt }
  account { id name createdAt }
  access { feature access }
`;

const LOGIN_RESULT_FIELDS = `
  __typename
  ... on AuthPayload { ${AUTH_PAYLOAD_FIELDS} }
  ... on AccountSelectionRequired { selectionToken expiresAt lastAccountId accounts { id name role } }
  ... on TwoFactorRequired { challengeToken expiresAt }
`;

export const SIGN_UP = typedDocument<{ signUp: AuthPayload }>(
  `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
);

export const LOGIN = typedDocument<{ login: LoginResult }>(`mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on AuthPayload { ${AUTH_PAYLOAD_FIELDS} }
    ... on AccountSelectionRequired { selectionToken expiresAt lastAccountId accounts { id name role } }
  }
}`);

/** LOGIN that also reads the second-factor challenge. */
export const LOGIN_WITH_TWO_FACTOR = typedDocument<{ login: LoginResult }>(
  `mutation Login($input: LoginInput!) { login(input: $input) { ${LOGIN_RESULT_FIELDS} } }`,
);

export const SELECT_ACCOUNT = typedDocument<{ selectAccount: LoginResult }>(
  `mutation Select($input: SelectAccountInput!) { selectAccount(input: $input) { ${LOGIN_RESULT_FIELDS} } }`,
);

export const VERIFY_TWO_FACTOR = typedDocument<{ verifyTwoFactor: LoginResult }>(`mutation Verify($challengeToken: String!, $code: String!) {
  verifyTwoFactor(challengeToken: $challengeToken, code: $code) { ${LOGIN_RESULT_FIELDS} }
}`);

export const REFRESH = typedDocument<{ refreshToken: AuthPayload }>(
  `mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`,
);

export const SWITCH_ACCOUNT = typedDocument<{ switchAccount: AuthPayload }>(
  `mutation Switch($accountId: ID!) { switchAccount(accountId: $accountId) { ${AUTH_PAYLOAD_FIELDS} } }`,
);

export const LOGOUT = typedDocument<{ logout: boolean }>(`mutation Logout($input: LogoutInput) { logout(input: $input) }`);

/** What ME reads of the viewer; null for an anonymous caller. */
export interface Viewer {
  id: string;
  email: string;
}

export const ME = typedDocument<{ me: Viewer | null }>(`query Me { me { id email } }`);

/** ME without the email: for a test that compares the whole answer with the user's id alone. */
export const ME_ID = typedDocument<{ me: { id: string } | null }>(`query MeId { me { id } }`);

export const VERIFY_EMAIL = typedDocument<{ verifyEmail: { id: string; emailVerified: boolean } }>(
  `mutation Verify($token: String!) { verifyEmail(token: $token) { id emailVerified } }`,
);

export const REQUEST_RESET = typedDocument<{ requestPasswordReset: boolean }>(
  `mutation RequestReset($email: String!) { requestPasswordReset(email: $email) }`,
);

export const RESET_PASSWORD = typedDocument<{ resetPassword: boolean }>(
  `mutation Reset($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`,
);

export const CHANGE_PASSWORD = typedDocument<{ changePassword: boolean }>(`mutation Change($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}`);

export interface Invitation {
  id: string;
  email: string;
  role: string;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'REVOKED' | 'EXPIRED';
  expiresAt: string;
  createdAt: string;
  account: { id: string };
}

export const INVITE_MEMBER = typedDocument<{ inviteMember: Invitation }>(
  `mutation Invite($input: InviteMemberInput!) { inviteMember(input: $input) { id email role status expiresAt createdAt account { id } } }`,
);

export const ACCEPT_INVITATION = typedDocument<{ acceptInvitation: AuthPayload }>(
  `mutation Accept($token: String!) { acceptInvitation(token: $token) { ${AUTH_PAYLOAD_FIELDS} } }`,
);

export const SET_ROLE = typedDocument<{ setMemberRole: { role: string } }>(
  `mutation SetRole($input: SetMemberRoleInput!) { setMemberRole(input: $input) { role } }`,
);

export const ENABLE_TOTP = typedDocument<{ enableTotp: { secret: string; otpauthUrl: string } }>(
  `mutation Enable($currentPassword: String!) { enableTotp(currentPassword: $currentPassword) { secret otpauthUrl } }`,
);

export const CONFIRM_TOTP = typedDocument<{ confirmTotp: { codes: string[] } }>(`mutation Confirm($code: String!) { confirmTotp(code: $code) { codes } }`);

export const DISABLE_TOTP = typedDocument<{ disableTotp: boolean }>(`mutation Disable($code: String!) { disableTotp(code: $code) }`);

export const SET_TWO_FACTOR_REQUIREMENT = typedDocument<{ setTwoFactorRequirement: { id: string; requireTwoFactor: boolean } }>(`mutation Require($accountId: ID!, $required: Boolean!) {
  setTwoFactorRequirement(accountId: $accountId, required: $required) { id requireTwoFactor }
}`);

/** The subgraph's SDL, as a gateway asks for it (federation). */
export const SERVICE_SDL = typedDocument<{ _service: { sdl: string } }>(`{ _service { sdl } }`);

/** The role and permissions of the bearer's session, as the service works them out now. */
export const CURRENT_ACCESS = typedDocument<{ currentSession: { role: string; access: Permission[] } | null }>(
  `query { currentSession { role access { feature access } } }`,
);

export const RESEND_VERIFICATION = typedDocument<{ resendVerification: boolean }>(`mutation Resend { resendVerification }`);
