import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * Errors raised before GraphQL sees the request (malformed JSON, oversized body) answered in the
 * GraphQL response shape with a 4xx, instead of Express's default HTML page with a stack trace.
 */
export function handleHttpErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const { status, statusCode, type } = (error ?? {}) as HttpError;
    const httpStatus = status ?? statusCode ?? 500;
    if (httpStatus >= 400 && httpStatus < 500) {
      const message =
        type === 'entity.too.large'
          ? 'The request body is too large.'
          : type === 'entity.parse.failed'
            ? 'The request body is not valid JSON.'
            : 'Bad request.';
      response.status(httpStatus).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    logger.error({ err: error }, 'unexpected error outside GraphQL');
    response.status(500).json({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
