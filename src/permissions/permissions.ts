import { allow, deny, shield } from 'graphql-shield';
import { AppError, ErrorCode, ErrorReason } from '../errors';
import { allOf, anyOf } from './define-rule';
import type { OnDenied } from './denial-count';
import { decideRequestWideRulesOnce } from './request-decisions';
import {
  canInArgumentAccount,
  canInInputAccount,
  canInParentAccount,
  canInSessionAccount,
  canReadSubgraphSchema,
  hasNoRefusedToken,
  isAdminOfSharedAccount,
  isAuthenticated,
  isMemberOfAccount,
  isOwnerOfArgumentAccount,
  isOwnerOfInputAccount,
  isOwnMembership,
  isSelf,
  isVerified,
  isVerifiedOrPresentsSelectionToken,
} from './rules';

// One rule object for both names: shield refuses two rules of the same name.
const mayInvite = allOf(isVerified, canInInputAccount('invitations', 'c'));
const mayCreateWebhooks = allOf(isVerified, canInInputAccount('webhooks', 'c'));

/**
 * Who may read or call what: every field of every type is listed (a test fails on any that is not),
 * and anything unlisted is denied. Objects reachable only through a guarded parent (a payload, a
 * membership) still name their fields, so a new path to them cannot open them by accident.
 */
export const permissionMap = {
  Query: {
    me: hasNoRefusedToken,
    currentSession: hasNoRefusedToken,
    loginAccounts: allow,
    account: isVerified,
    mySessions: isVerified,
    // Offers made to the viewer only (the service reads them by the viewer's id).
    myOwnershipTransfers: isVerified,
    authEvents: allOf(isVerified, canInArgumentAccount('audit', 'r')),
    features: isVerified,
    roles: allOf(isVerified, canInArgumentAccount('roles', 'r')),
    // The service reads the viewer's membership again: a member removed or demoted since is refused.
    invitations: allOf(isVerified, canInArgumentAccount('invitations', 'r')),
    webhookEndpoints: allOf(isVerified, canInArgumentAccount('webhooks', 'r')),
    // Only invitations to the viewer's own address, and none until they have verified it (the service checks).
    myInvitations: isAuthenticated,
    // The link is the proof, and the preview shows nothing about anyone: no address, no id.
    invitation: allow,
    // Their own data only (GDPR art. 15/20), which a guest has as much right to as anyone.
    exportMyData: isAuthenticated,
    // Federation: the gateway asks for entities by key, forwarding the caller's token; each entity field
    // keeps its own rule (and Account references resolve only for members: see
    // federation/entity-references.ts). No entity field is for anonymous callers, so they are refused
    // here, before a list of references costs a rule per field per item.
    _entities: isAuthenticated,
    _service: canReadSubgraphSchema,
  },
  // Reachable only through _service, whose rule decides.
  _Service: { sdl: allow },
  Mutation: {
    signUp: allow,
    login: allow,
    selectAccount: allow,
    // Refresh ignores the bearer: a client whose access token expired must still be able to refresh.
    refreshToken: allow,
    // Authenticates itself: by bearer token or by the refresh token in the input.
    logout: allow,
    // The challenge token from login is the proof of the password step; the code is the second factor.
    verifyTwoFactor: allow,
    enableTotp: isVerified,
    confirmTotp: isVerified,
    disableTotp: isVerified,
    setTwoFactorRequirement: allOf(isVerified, isOwnerOfArgumentAccount),
    switchAccount: isVerified,
    inviteMember: mayInvite,
    addMember: mayInvite,
    // The token proves the invitation; the service checks the viewer verified the very address it was sent to.
    acceptInvitation: isVerified,
    // The link is the proof, as for verifyEmail: turning an invitation down needs no session.
    declineInvitation: allow,
    // The first gate; the service decides under the account's lock, and finds the id only in the session's account.
    revokeInvitation: allOf(isVerified, canInSessionAccount('invitations', 'd')),
    resendInvitation: allOf(isVerified, canInSessionAccount('invitations', 'c')),
    setMemberRole: allOf(isVerified, canInInputAccount('members', 'u')),
    removeMember: allOf(isVerified, canInInputAccount('members', 'd')),
    // Each is decided again under the account's lock, with every permission of the role within the actor's own.
    createRole: allOf(isVerified, canInInputAccount('roles', 'c')),
    updateRole: allOf(isVerified, canInInputAccount('roles', 'u')),
    deleteRole: allOf(isVerified, canInInputAccount('roles', 'd')),
    // The link is the proof: it may be opened on a device with no session.
    verifyEmail: allow,
    resendVerification: isAuthenticated,
    // Always answers true and mails only the address's owner.
    requestPasswordReset: allow,
    // The reset link is the proof.
    resetPassword: allow,
    changePassword: isVerified,
    revokeSession: isVerified,
    createAccount: isVerifiedOrPresentsSelectionToken,
    updateAccount: allOf(isVerified, canInInputAccount('account', 'u')),
    // Any member may leave any account they are in; the service finds their membership under the account's lock.
    leaveAccount: isVerified,
    deleteAccount: allOf(isVerified, canInInputAccount('account', 'd')),
    transferOwnership: allOf(isVerified, isOwnerOfInputAccount),
    // The service acts only on a transfer naming the viewer as its recipient (accept, decline) or sender (cancel).
    acceptOwnershipTransfer: isVerified,
    declineOwnershipTransfer: isVerified,
    cancelOwnershipTransfer: isVerified,
    // A guest too: the way to fix a mistyped address. The password is checked again, and the link proves the new address.
    changeEmail: isAuthenticated,
    // The link is the proof, as for verifyEmail: it may be opened on a device with no session.
    confirmEmailChange: allow,
    // A guest too (GDPR art. 17); the password is checked again and the last-owner rule under the accounts' locks.
    deleteMyUser: isAuthenticated,
    // Each decided again under the account's lock (the service reads the actor's role there); ids are found only in the input's account.
    createWebhookEndpoint: mayCreateWebhooks,
    deleteWebhookEndpoint: allOf(isVerified, canInInputAccount('webhooks', 'd')),
    replayWebhookEvent: mayCreateWebhooks,
  },
  Subscription: {
    // A guest too: the stream is the caller's own session, which a guest has; its socket was authenticated at connect.
    sessionEvents: isAuthenticated,
  },
  // Guests (email not verified) see their own user, memberships and session's account, and nothing of
  // anyone else's, whichever path leads there (test/permissions/guest-surface.test.ts walks them all).
  User: {
    id: anyOf(isVerified, isSelf),
    email: anyOf(isSelf, isAdminOfSharedAccount),
    username: anyOf(isVerified, isSelf),
    emailVerified: anyOf(isVerified, isSelf),
    createdAt: anyOf(isVerified, isSelf),
    // An admin gets only the membership in the account they share (see UserResolver.memberships).
    memberships: anyOf(isSelf, isAdminOfSharedAccount),
  },
  Account: {
    id: anyOf(isVerified, isMemberOfAccount),
    name: anyOf(isVerified, isMemberOfAccount),
    createdAt: anyOf(isVerified, isMemberOfAccount),
    requireTwoFactor: anyOf(isVerified, isMemberOfAccount),
    members: allOf(isVerified, canInParentAccount('members', 'r')),
  },
  Membership: {
    user: anyOf(isVerified, isOwnMembership),
    account: anyOf(isVerified, isOwnMembership),
    role: anyOf(isVerified, isOwnMembership),
    createdAt: anyOf(isVerified, isOwnMembership),
  },
  // Returned only to a member holding invitations:c or :r there (inviteMember, addMember, resendInvitation,
  // invitations), or to the invited person (myInvitations: the address is their own, verified).
  Invitation: { id: allow, email: allow, role: allow, status: allow, expiresAt: allow, createdAt: allow, account: allow },
  // Anyone holding the link: it names no address and no id (InvitationReads.preview).
  InvitationPreview: { accountName: allow, inviterName: allow, role: allow, expiresAt: allow, status: allow },
  // Returned only to whoever just proved their credentials (or holds the selection token).
  AuthPayload: {
    tokenType: allow,
    accessToken: allow,
    expiresAt: allow,
    refreshToken: allow,
    refreshExpiresAt: allow,
    user: allow,
    account: allow,
    role: allow,
    access: allow,
  },
  // Returned only to its sender (transferOwnership) or recipient (myOwnershipTransfers).
  OwnershipTransfer: { id: allow, account: allow, sender: allow, recipient: allow, status: allow, createdAt: allow, expiresAt: allow },
  AccountSelectionRequired: { selectionToken: allow, expiresAt: allow, accounts: allow, lastAccountId: allow },
  AccountOption: { id: allow, name: allow, role: allow },
  TwoFactorRequired: { challengeToken: allow, expiresAt: allow },
  // Returned only to the signed-in user who asked (enableTotp, confirmTotp).
  TotpSetup: { secret: allow, otpauthUrl: allow },
  RecoveryCodes: { codes: allow },
  Permission: { feature: allow, access: allow },
  // Reachable only through roles (roles:r) and the role mutations.
  RoleDefinition: { name: allow, description: allow, permissions: allow, builtIn: allow, memberCount: allow },
  // Reachable only through features, for any verified member: the vocabulary of permissions is no secret among them.
  FeatureDefinition: { name: allow, description: allow, operations: allow, builtIn: allow },
  SessionInfo: {
    id: isAuthenticated,
    account: isAuthenticated,
    role: isAuthenticated,
    access: isAuthenticated,
    expiresAt: isAuthenticated,
    idleExpiresAt: isAuthenticated,
    absoluteExpiresAt: isAuthenticated,
    clientId: isAuthenticated,
    createdAt: isAuthenticated,
    lastUsedAt: isAuthenticated,
    userAgent: isAuthenticated,
    ip: isAuthenticated,
    current: isAuthenticated,
  },
  // Reachable only through authEvents, which checks audit:r.
  // Reachable only through exportMyData: the viewer's own data.
  UserDataExport: {
    exportedAt: allow,
    user: allow,
    memberships: allow,
    sessions: allow,
    sessionsTruncated: allow,
    invitationsReceived: allow,
    invitationsSent: allow,
    auditEvents: allow,
    auditEventsTruncated: allow,
  },
  ExportedUser: { id: allow, email: allow, emailVerifiedAt: allow, username: allow, createdAt: allow, lastLoginAt: allow, lastAccountId: allow, twoFactorEnabledAt: allow },
  ExportedMembership: { accountId: allow, accountName: allow, role: allow, createdAt: allow, lastUsedAt: allow },
  ExportedSession: {
    id: allow,
    accountId: allow,
    clientId: allow,
    createdAt: allow,
    lastUsedAt: allow,
    idleExpiresAt: allow,
    absoluteExpiresAt: allow,
    revokedAt: allow,
    revokedReason: allow,
    userAgent: allow,
    ip: allow,
  },
  ExportedInvitation: { id: allow, accountId: allow, accountName: allow, role: allow, createdAt: allow, expiresAt: allow, acceptedAt: allow, declinedAt: allow, revokedAt: allow },
  ExportedAuthEvent: { id: allow, type: allow, reason: allow, accountId: allow, sessionId: allow, clientId: allow, ip: allow, userAgent: allow, createdAt: allow },
  // Reachable only through webhookEndpoints (webhooks:r) and createWebhookEndpoint (webhooks:c), whose secret is its creator's to see once.
  WebhookEndpoint: { id: allow, url: allow, description: allow, createdAt: allow },
  CreatedWebhookEndpoint: { endpoint: allow, secret: allow },
  AuthEventConnection: { edges: allow, pageInfo: allow },
  AuthEventEdge: { cursor: allow, node: allow },
  PageInfo: { hasNextPage: allow, endCursor: allow },
  SessionEvent: { type: allow, sessionId: allow, reason: allow, role: allow, expiresAt: allow },
  AuthEvent: {
    id: allow,
    type: allow,
    reason: allow,
    userId: allow,
    accountId: allow,
    sessionId: allow,
    clientId: allow,
    ip: allow,
    userAgent: allow,
    createdAt: allow,
  },
} as const;

/** The shield middleware; `onDenied` hears of every refused field (gatehouse_authorization_denied_total). */
export function createPermissions(onDenied: OnDenied = () => undefined) {
  const options = {
    fallbackRule: deny,
    fallbackError: new AppError(ErrorCode.FORBIDDEN, 'Not allowed.', { reason: ErrorReason.MISSING_PERMISSION }),
    // Resolver errors are AppErrors meant for the client (anything else is masked by formatError), so let them through.
    allowExternalErrors: true,
    debug: false,
  };
  // Request-wide rules only ever meet contextual caching, which never hashes: a hash means a rule was misfiled.
  const hashFunction = () => {
    throw new Error('A rule marked request-wide asked for a strict cache key.');
  };
  return decideRequestWideRulesOnce(shield(permissionMap, options), permissionMap, deny, { ...options, hashFunction }, onDenied);
}
