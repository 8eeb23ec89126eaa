/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment SessionFields on AuthPayload {\n  accessToken\n  expiresAt\n  refreshToken\n  role\n  account {\n    id\n    name\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nfragment LoginResultFields on LoginResult {\n  __typename\n  ...SessionFields\n  ... on AccountSelectionRequired {\n    selectionToken\n    expiresAt\n    lastAccountId\n    accounts {\n      id\n      name\n      role\n    }\n  }\n  ... on TwoFactorRequired {\n    challengeToken\n    expiresAt\n  }\n}\n\nmutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation SelectAccount($input: SelectAccountInput!) {\n  selectAccount(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation VerifyTwoFactor($challengeToken: String!, $code: String!) {\n  verifyTwoFactor(challengeToken: $challengeToken, code: $code) {\n    ...LoginResultFields\n  }\n}\n\nmutation RefreshToken($input: RefreshTokenInput!) {\n  refreshToken(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation SwitchAccount($accountId: ID!) {\n  switchAccount(accountId: $accountId) {\n    ...SessionFields\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation LogoutEverywhere {\n  logout(input: {allSessions: true})\n}\n\nmutation EndSession($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token) {\n    id\n    email\n    emailVerified\n  }\n}": typeof types.SessionFieldsFragmentDoc,
    "query InvitationPreview($token: String!) {\n  invitation(token: $token) {\n    accountName\n    inviterName\n    role\n    expiresAt\n    status\n  }\n}\n\nmutation AcceptInvitation($token: String!) {\n  acceptInvitation(token: $token) {\n    ...SessionFields\n  }\n}\n\nmutation DeclineInvitation($token: String!) {\n  declineInvitation(token: $token)\n}": typeof types.InvitationPreviewDocument,
    "subscription SessionEvents {\n  sessionEvents {\n    type\n    reason\n  }\n}": typeof types.SessionEventsDocument,
    "query Me {\n  me {\n    id\n    email\n    username\n    emailVerified\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery CurrentSession {\n  currentSession {\n    id\n    role\n    expiresAt\n    account {\n      id\n      name\n    }\n    access {\n      feature\n      access\n    }\n  }\n}\n\nquery MySessions {\n  mySessions {\n    id\n    current\n    userAgent\n    lastUsedAt\n    account {\n      id\n      name\n    }\n  }\n}": typeof types.MeDocument,
};
const documents: Documents = {
    "fragment SessionFields on AuthPayload {\n  accessToken\n  expiresAt\n  refreshToken\n  role\n  account {\n    id\n    name\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nfragment LoginResultFields on LoginResult {\n  __typename\n  ...SessionFields\n  ... on AccountSelectionRequired {\n    selectionToken\n    expiresAt\n    lastAccountId\n    accounts {\n      id\n      name\n      role\n    }\n  }\n  ... on TwoFactorRequired {\n    challengeToken\n    expiresAt\n  }\n}\n\nmutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation SelectAccount($input: SelectAccountInput!) {\n  selectAccount(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation VerifyTwoFactor($challengeToken: String!, $code: String!) {\n  verifyTwoFactor(challengeToken: $challengeToken, code: $code) {\n    ...LoginResultFields\n  }\n}\n\nmutation RefreshToken($input: RefreshTokenInput!) {\n  refreshToken(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation SwitchAccount($accountId: ID!) {\n  switchAccount(accountId: $accountId) {\n    ...SessionFields\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation LogoutEverywhere {\n  logout(input: {allSessions: true})\n}\n\nmutation EndSession($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token) {\n    id\n    email\n    emailVerified\n  }\n}": types.SessionFieldsFragmentDoc,
    "query InvitationPreview($token: String!) {\n  invitation(token: $token) {\n    accountName\n    inviterName\n    role\n    expiresAt\n    status\n  }\n}\n\nmutation AcceptInvitation($token: String!) {\n  acceptInvitation(token: $token) {\n    ...SessionFields\n  }\n}\n\nmutation DeclineInvitation($token: String!) {\n  declineInvitation(token: $token)\n}": types.InvitationPreviewDocument,
    "subscription SessionEvents {\n  sessionEvents {\n    type\n    reason\n  }\n}": types.SessionEventsDocument,
    "query Me {\n  me {\n    id\n    email\n    username\n    emailVerified\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery CurrentSession {\n  currentSession {\n    id\n    role\n    expiresAt\n    account {\n      id\n      name\n    }\n    access {\n      feature\n      access\n    }\n  }\n}\n\nquery MySessions {\n  mySessions {\n    id\n    current\n    userAgent\n    lastUsedAt\n    account {\n      id\n      name\n    }\n  }\n}": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionFields on AuthPayload {\n  accessToken\n  expiresAt\n  refreshToken\n  role\n  account {\n    id\n    name\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nfragment LoginResultFields on LoginResult {\n  __typename\n  ...SessionFields\n  ... on AccountSelectionRequired {\n    selectionToken\n    expiresAt\n    lastAccountId\n    accounts {\n      id\n      name\n      role\n    }\n  }\n  ... on TwoFactorRequired {\n    challengeToken\n    expiresAt\n  }\n}\n\nmutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation SelectAccount($input: SelectAccountInput!) {\n  selectAccount(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation VerifyTwoFactor($challengeToken: String!, $code: String!) {\n  verifyTwoFactor(challengeToken: $challengeToken, code: $code) {\n    ...LoginResultFields\n  }\n}\n\nmutation RefreshToken($input: RefreshTokenInput!) {\n  refreshToken(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation SwitchAccount($accountId: ID!) {\n  switchAccount(accountId: $accountId) {\n    ...SessionFields\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation LogoutEverywhere {\n  logout(input: {allSessions: true})\n}\n\nmutation EndSession($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token) {\n    id\n    email\n    emailVerified\n  }\n}"): (typeof documents)["fragment SessionFields on AuthPayload {\n  accessToken\n  expiresAt\n  refreshToken\n  role\n  account {\n    id\n    name\n  }\n}\n\nmutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    ...SessionFields\n  }\n}\n\nfragment LoginResultFields on LoginResult {\n  __typename\n  ...SessionFields\n  ... on AccountSelectionRequired {\n    selectionToken\n    expiresAt\n    lastAccountId\n    accounts {\n      id\n      name\n      role\n    }\n  }\n  ... on TwoFactorRequired {\n    challengeToken\n    expiresAt\n  }\n}\n\nmutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation SelectAccount($input: SelectAccountInput!) {\n  selectAccount(input: $input) {\n    ...LoginResultFields\n  }\n}\n\nmutation VerifyTwoFactor($challengeToken: String!, $code: String!) {\n  verifyTwoFactor(challengeToken: $challengeToken, code: $code) {\n    ...LoginResultFields\n  }\n}\n\nmutation RefreshToken($input: RefreshTokenInput!) {\n  refreshToken(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation SwitchAccount($accountId: ID!) {\n  switchAccount(accountId: $accountId) {\n    ...SessionFields\n  }\n}\n\nmutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    ...SessionFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation LogoutEverywhere {\n  logout(input: {allSessions: true})\n}\n\nmutation EndSession($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token) {\n    id\n    email\n    emailVerified\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvitationPreview($token: String!) {\n  invitation(token: $token) {\n    accountName\n    inviterName\n    role\n    expiresAt\n    status\n  }\n}\n\nmutation AcceptInvitation($token: String!) {\n  acceptInvitation(token: $token) {\n    ...SessionFields\n  }\n}\n\nmutation DeclineInvitation($token: String!) {\n  declineInvitation(token: $token)\n}"): (typeof documents)["query InvitationPreview($token: String!) {\n  invitation(token: $token) {\n    accountName\n    inviterName\n    role\n    expiresAt\n    status\n  }\n}\n\nmutation AcceptInvitation($token: String!) {\n  acceptInvitation(token: $token) {\n    ...SessionFields\n  }\n}\n\nmutation DeclineInvitation($token: String!) {\n  declineInvitation(token: $token)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription SessionEvents {\n  sessionEvents {\n    type\n    reason\n  }\n}"): (typeof documents)["subscription SessionEvents {\n  sessionEvents {\n    type\n    reason\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    email\n    username\n    emailVerified\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery CurrentSession {\n  currentSession {\n    id\n    role\n    expiresAt\n    account {\n      id\n      name\n    }\n    access {\n      feature\n      access\n    }\n  }\n}\n\nquery MySessions {\n  mySessions {\n    id\n    current\n    userAgent\n    lastUsedAt\n    account {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    email\n    username\n    emailVerified\n    memberships {\n      role\n      account {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery CurrentSession {\n  currentSession {\n    id\n    role\n    expiresAt\n    account {\n      id\n      name\n    }\n    access {\n      feature\n      access\n    }\n  }\n}\n\nquery MySessions {\n  mySessions {\n    id\n    current\n    userAgent\n    lastUsedAt\n    account {\n      id\n      name\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;