import { GraphQLError } from 'graphql';

/** The closed set of `extensions.code` values Gatehouse answers with. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Finer-grained, stable reasons carried in `extensions.reason`. */
export const ErrorReason = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  SESSION_REVOKED: 'SESSION_REVOKED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  CLIENT_MISMATCH: 'CLIENT_MISMATCH',
  NOT_A_MEMBER: 'NOT_A_MEMBER',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  WEAK_PASSWORD: 'WEAK_PASSWORD',
  INVALID_VALUE: 'INVALID_VALUE',
  MISSING_PERMISSION: 'MISSING_PERMISSION',
  ROLE_TOO_HIGH: 'ROLE_TOO_HIGH',
  LAST_OWNER: 'LAST_OWNER',
  /** createAccount beyond MAX_OWNED_ACCOUNTS_PER_USER accounts the user owns. */
  ACCOUNT_LIMIT_REACHED: 'ACCOUNT_LIMIT_REACHED',
  /** An ownership transfer that was accepted, declined, cancelled or has expired. */
  OWNERSHIP_TRANSFER_CLOSED: 'OWNERSHIP_TRANSFER_CLOSED',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  /** A permission names a feature neither Gatehouse nor the features file declares. */
  UNKNOWN_FEATURE: 'UNKNOWN_FEATURE',
  ROLE_EXISTS: 'ROLE_EXISTS',
  /** Members or pending invitations hold the role: deleting it needs a replacement. */
  ROLE_IN_USE: 'ROLE_IN_USE',
  BUILT_IN_ROLE: 'BUILT_IN_ROLE',
  ROLE_LIMIT_REACHED: 'ROLE_LIMIT_REACHED',
  /** createWebhookEndpoint beyond the account's cap on endpoints. */
  WEBHOOK_ENDPOINT_LIMIT_REACHED: 'WEBHOOK_ENDPOINT_LIMIT_REACHED',
  /** An account's webhook URL that is not https (production) or points into a private network. */
  WEBHOOK_TARGET_REFUSED: 'WEBHOOK_TARGET_REFUSED',
  /** An invitation's link was opened by a user whose verified email is not the one invited. */
  INVITATION_EMAIL_MISMATCH: 'INVITATION_EMAIL_MISMATCH',
  /** The invitation was already accepted, declined or revoked: it can no longer be resent or revoked. */
  INVITATION_NOT_OPEN: 'INVITATION_NOT_OPEN',
  TWO_FACTOR_REQUIRED: 'TWO_FACTOR_REQUIRED',
  /** A sensitive change by a user with 2FA on needs a current code besides the password (twoFactorCode). */
  TWO_FACTOR_CODE_REQUIRED: 'TWO_FACTOR_CODE_REQUIRED',
  INVALID_TWO_FACTOR_CODE: 'INVALID_TWO_FACTOR_CODE',
  TWO_FACTOR_ALREADY_ENABLED: 'TWO_FACTOR_ALREADY_ENABLED',
  TWO_FACTOR_NOT_ENABLED: 'TWO_FACTOR_NOT_ENABLED',
  ALREADY_VERIFIED: 'ALREADY_VERIFIED',
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  SERVER_BUSY: 'SERVER_BUSY',
  /** Too many attempts (see abuse/); extensions.retryAfter says in how many seconds to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
} as const;
export type ErrorReason = (typeof ErrorReason)[keyof typeof ErrorReason];

interface AppErrorDetails {
  readonly reason?: ErrorReason;
  /** The input field at fault, for BAD_USER_INPUT. */
  readonly field?: string;
  readonly [extra: string]: unknown;
}

/**
 * The only error type whose message and extensions reach clients as written.
 * Anything else is masked by formatError (see http/format-error.ts).
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message, { extensions: { ...details, code } });
    this.code = code;
    this.name = 'AppError';
  }
}

export const badUserInput = (field: string, message: string, reason: ErrorReason = ErrorReason.INVALID_VALUE): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field, reason });

export const unauthenticated = (reason: ErrorReason, message = 'Not authenticated.'): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { reason });

/** One answer for unknown user and wrong password, so login cannot be used to probe for accounts. */
export const invalidCredentials = (): AppError =>
  unauthenticated(ErrorReason.INVALID_CREDENTIALS, 'Invalid credentials.');

export const forbidden = (reason: ErrorReason, message = 'Not allowed.'): AppError =>
  new AppError(ErrorCode.FORBIDDEN, message, { reason });

/** Work shed because a bounded queue is full: refused at once rather than left waiting without end. */
export const serverBusy = (): AppError =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The server is busy; try again shortly.', { reason: ErrorReason.SERVER_BUSY, retryAfter: 1 });

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
