/**
 * The embedded database's directory is held by another process; the message names it when it is known.
 * A file of its own so that start-up can recognise it without loading the lock (proper-lockfile), which
 * only the embedded database needs.
 */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}
