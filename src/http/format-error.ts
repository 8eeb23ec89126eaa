import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { asDatabaseUnavailable } from '../database/database-unavailable';
import { ErrorCode, isAppError } from '../errors';
import type { Logger } from '../logger';

/** Codes Apollo Server itself assigns to request errors; their messages are safe once variables are masked. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * graphql-js reports a bad variable as `Variable "$input" got invalid value <the whole value> at
 * "input.x"; <reason>`: the value would echo the password back. Keep the variable, the path and
 * reasons that carry no value; drop everything else.
 */
const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
const VARIABLE_ERROR_TAIL = /(?: at "([_A-Za-z0-9.[\]]+)")?; ([^;]*)$/;
const VALUE_FREE_REASONS = [
  /^Field "[_A-Za-z][_0-9A-Za-z]*" of required type "[_A-Za-z0-9![\]]+" was not provided\.$/,
  /^Field "[_A-Za-z][_0-9A-Za-z]*" is not defined by type "[_A-Za-z0-9]+"\.( Did you mean [^;]*\?)?$/,
  /^Expected type "[_A-Za-z0-9![\]]+" to be an object\.$/,
  /^Expected value of type "[_A-Za-z0-9![\]]+", found null\.$/,
];

export function maskVariableValue(message: string): { message: string; field?: string } {
  const variable = VARIABLE_ERROR.exec(message)?.[1];
  if (!variable) return { message };
  const tail = VARIABLE_ERROR_TAIL.exec(message);
  const field = tail?.[1];
  const reason = tail?.[2];
  const safeReason = reason && VALUE_FREE_REASONS.some((pattern) => pattern.test(reason)) ? ` ${reason}` : ' The value has the wrong type.';
  return {
    message: `Variable "$${variable}" got an invalid value${field ? ` at "${field}"` : ''}.${safeReason}`,
    ...(field ? { field } : {}),
  };
}

/**
 * What clients see of an error. AppErrors pass as written, without a stack trace: they are expected
 * outcomes (UNAUTHENTICATED, BAD_USER_INPUT, FORBIDDEN…), which a stack explains nothing about.
 * Apollo's request errors pass with variable values masked; a database outage is SERVICE_UNAVAILABLE;
 * anything else is an unexpected failure: logged in full, answered as a bare INTERNAL_SERVER_ERROR,
 * which in development alone keeps the stack trace Apollo attached (the one place it helps).
 */
export function createErrorFormatter(logger: Logger, isDevelopment: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (isAppError(original)) {
      return { ...formatted, extensions: withoutStacktrace(formatted.extensions) };
    }
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      const masked = maskVariableValue(formatted.message);
      return {
        message: masked.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code, ...(masked.field ? { field: masked.field } : {}) },
      };
    }
    // A database outage (logged once per request by the database-unavailable plugin) is not a bug: it
    // gets its own retryable answer instead of the bare INTERNAL_SERVER_ERROR below.
    const unavailable = asDatabaseUnavailable(original);
    if (isAppError(unavailable)) {
      const { http: _http, ...extensions } = unavailable.extensions;
      return { message: unavailable.message, ...(formatted.path ? { path: formatted.path } : {}), extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while handling a GraphQL request');
    const stacktrace = isDevelopment ? formatted.extensions?.stacktrace : undefined;
    return {
      message: 'Internal server error.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(stacktrace ? { stacktrace } : {}) },
    };
  };
}

function withoutStacktrace(extensions: GraphQLFormattedError['extensions']) {
  if (!extensions) return extensions;
  const { stacktrace: _stacktrace, ...rest } = extensions;
  return rest;
}
