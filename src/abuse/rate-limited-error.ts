import { AppError, ErrorCode, ErrorReason } from '../errors';

/**
 * The one answer to a refused attempt, for every limit: UNAUTHENTICATED, reason RATE_LIMITED and
 * `retryAfter` in whole seconds. It names no account and no limit, so a lock on an unknown email
 * reads exactly like a lock on a real one.
 */
export const rateLimited = (retryAfterMilliseconds: number): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, 'Too many attempts; try again later.', {
    reason: ErrorReason.RATE_LIMITED,
    retryAfter: Math.max(1, Math.ceil(retryAfterMilliseconds / 1000)),
  });

export const isRateLimited = (error: unknown): error is AppError =>
  error instanceof AppError && error.extensions.reason === ErrorReason.RATE_LIMITED;
