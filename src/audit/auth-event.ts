/** Every kind of security event the audit log records. */
export const AuthEventType = {
  SIGN_UP: 'SIGN_UP',
  LOGIN_SUCCEEDED: 'LOGIN_SUCCEEDED',
  LOGIN_FAILED: 'LOGIN_FAILED',
  LOCKED_OUT: 'LOCKED_OUT',
  ACCOUNT_SELECTED: 'ACCOUNT_SELECTED',
  ACCOUNT_SWITCHED: 'ACCOUNT_SWITCHED',
  TOKEN_REFRESHED: 'TOKEN_REFRESHED',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  LOGOUT: 'LOGOUT',
  SESSION_REVOKED: 'SESSION_REVOKED',
  EMAIL_VERIFICATION_SENT: 'EMAIL_VERIFICATION_SENT',
  EMAIL_VERIFIED: 'EMAIL_VERIFIED',
  PASSWORD_RESET_REQUESTED: 'PASSWORD_RESET_REQUESTED',
  PASSWORD_RESET: 'PASSWORD_RESET',
  PASSWORD_CHANGED: 'PASSWORD_CHANGED',
  TWO_FACTOR_ENABLED: 'TWO_FACTOR_ENABLED',
  TWO_FACTOR_DISABLED: 'TWO_FACTOR_DISABLED',
  TWO_FACTOR_FAILED: 'TWO_FACTOR_FAILED',
  RECOVERY_CODE_USED: 'RECOVERY_CODE_USED',
  TWO_FACTOR_REQUIREMENT_CHANGED: 'TWO_FACTOR_REQUIREMENT_CHANGED',
  MEMBER_ADDED: 'MEMBER_ADDED',
  MEMBER_ROLE_CHANGED: 'MEMBER_ROLE_CHANGED',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  INVITATION_SENT: 'INVITATION_SENT',
  INVITATION_ACCEPTED: 'INVITATION_ACCEPTED',
  INVITATION_DECLINED: 'INVITATION_DECLINED',
  EMAIL_CHANGE_REQUESTED: 'EMAIL_CHANGE_REQUESTED',
  EMAIL_CHANGED: 'EMAIL_CHANGED',
  USER_DELETED: 'USER_DELETED',
} as const;
export type AuthEventType = (typeof AuthEventType)[keyof typeof AuthEventType];

/** One audit record. Never put a secret here: no password, token, code or hash. */
export interface AuthEventInput {
  readonly type: AuthEventType;
  readonly reason?: string | null;
  readonly userId?: string | null;
  readonly accountId?: string | null;
  readonly sessionId?: string | null;
  readonly clientId?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}
