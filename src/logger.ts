import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config';

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
 * event-loop time per login and took pool threads from hashing (README, Performance). Node itself writes
 * stdout synchronously on Linux, whether it is a file, a pipe or a terminal; a line is one write(2).
 */
const standardOutput = (): DestinationStream => pino.destination({ dest: process.stdout.fd, sync: true });

/** destination: where lines go (standard output by default; tests pass a stream they read back). */
export function createLogger(config: Pick<Config, 'logLevel'>, destination: DestinationStream = standardOutput()): Logger {
  const options = {
    level: config.logLevel,
    base: { service: 'gatehouse' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return pino(options, destination);
}
