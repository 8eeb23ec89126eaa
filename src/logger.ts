import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config/config';

export type { Logger };

/** Anything that can hold a credential is redacted, wherever it appears in a log line. */
const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'selectionToken',
  'secret',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.selectionToken',
  '*.secret',
  'variables',
  '*.variables',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/**
 * Standard output, written synchronously: pino's default writes each line with an asynchronous fs.write,
 * one task per line on libuv's thread pool, where argon2 hashes. Under logins that cost about 1 ms of
 * event-loop time per login and took pool threads from hashing (docs/performance.md). Node itself writes
 * stdout synchronously on Linux, whether it is a file, a pipe or a terminal; a line is one write(2).
 */
const standardOutput = (): DestinationStream => pino.destination({ dest: process.stdout.fd, sync: true });

/** What a log line looks like: JSON for machines, or text for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * Text for a person (pino-pretty) only in development on a terminal; JSON anywhere else, so a log
 * that is piped, collected or stored stays one JSON object a line, and production never loads pino-pretty.
 */
export function logFormatFor(config: Pick<Config, 'isDevelopment'>, isTerminal = process.stdout.isTTY === true): LogFormat {
  return config.isDevelopment && isTerminal ? 'pretty' : 'json';
}

/**
 * pino-pretty in this process, written synchronously like the JSON lines (not in a transport's worker
 * thread, which would lose the last lines of a crash). Loaded only when asked for.
 */
export function prettyDestination(destination: number | NodeJS.WritableStream = process.stdout.fd, colorize = true): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- production never loads it
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    destination,
    sync: true,
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  });
}

/** Fields every log line written while handling one request carries (its request id). */
export interface RequestLogFields {
  readonly requestId: string;
}

const requestLogFields = new AsyncLocalStorage<RequestLogFields>();

/**
 * Runs `handle` (a request's whole handling: the rest of the middleware, resolvers, services) so that every
 * log line written from it carries `fields`, whichever logger writes it: services hold one logger for all
 * requests, and the request reaches them through async context instead of a child logger passed down.
 */
export function withRequestLogFields<T>(fields: RequestLogFields, handle: () => T): T {
  return requestLogFields.run(fields, handle);
}

/** Fields of the active trace (trace_id, span_id) for a log line, when tracing is on (tracing/open-telemetry-spans.ts). */
export type TraceLogFields = () => Record<string, string> | undefined;

/**
 * destination: where lines go. By default standard output, as JSON, or as text in development on a
 * terminal (logFormatFor); tests pass a stream they read back. traceLogFields: given when tracing is on.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'isDevelopment'>>,
  destination?: DestinationStream,
  traceLogFields?: TraceLogFields,
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'gatehouse' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...requestLogFields.getStore(), ...traceLogFields?.() }),
  };
  const isPretty = destination === undefined && logFormatFor({ isDevelopment: config.isDevelopment === true }) === 'pretty';
  return pino(options, destination ?? (isPretty ? prettyDestination() : standardOutput()));
}
