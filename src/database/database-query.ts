export interface DatabaseQuery {
  /** The statement's text; its parameters (passwords' hashes, token hashes, emails) are never passed on. */
  readonly sql: string;
  readonly durationMs: number;
}

export interface DatabaseOptions {
  /** Called after every statement Prisma runs (for LOG_LEVEL=trace). Off by default: it costs an event per query. */
  readonly onQuery?: (query: DatabaseQuery) => void;
}
