import { allow, and, deny, or, shield } from 'graphql-shield';
import { AppError, ErrorCode, ErrorReason } from '../errors';
import {
  canInInputAccount,
  canInParentAccount,
  hasNoRefusedToken,
  isAdminOfSharedAccount,
  isAuthenticated,
  isSelf,
} from './rules';

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
    account: isAuthenticated,
  },
  Mutation: {
    signUp: allow,
    login: allow,
    selectAccount: allow,
    // Refresh ignores the bearer: a client whose access token expired must still be able to refresh.
    refreshToken: allow,
    // Authenticates itself: by bearer token or by the refresh token in the input.
    logout: allow,
    switchAccount: isAuthenticated,
    addMember: and(isAuthenticated, canInInputAccount('members', 'c')),
    setMemberRole: and(isAuthenticated, canInInputAccount('members', 'u')),
    removeMember: and(isAuthenticated, canInInputAccount('members', 'd')),
  },
  User: {
    id: isAuthenticated,
    email: or(isSelf, isAdminOfSharedAccount),
    username: isAuthenticated,
    emailVerified: isAuthenticated,
    createdAt: isAuthenticated,
    memberships: or(isSelf, isAdminOfSharedAccount),
  },
  Account: {
    id: isAuthenticated,
    name: isAuthenticated,
    createdAt: isAuthenticated,
    members: canInParentAccount('members', 'r'),
  },
  Membership: {
    user: isAuthenticated,
    account: isAuthenticated,
    role: isAuthenticated,
    createdAt: isAuthenticated,
  },
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
  AccountSelectionRequired: { selectionToken: allow, expiresAt: allow, accounts: allow, lastAccountId: allow },
  AccountOption: { id: allow, name: allow, role: allow },
  Permission: { feature: allow, access: allow },
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
  },
} as const;

export function createPermissions() {
  return shield(permissionMap, {
    fallbackRule: deny,
    fallbackError: new AppError(ErrorCode.FORBIDDEN, 'Not allowed.', { reason: ErrorReason.MISSING_PERMISSION }),
    // Resolver errors are AppErrors meant for the client (anything else is masked by formatError), so let them through.
    allowExternalErrors: true,
    debug: false,
  });
}
