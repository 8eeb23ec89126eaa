// What the session links record on each operation's context (Apollo merges these declarations).
declare module '@apollo/client' {
  interface DefaultContext {
    /** Send no Authorization header and never refresh for this operation (the refresh itself). */
    skipsAuthorization?: boolean;
    /** The access token the operation was sent with, to tell a stale token from a fresh one. */
    sentAccessToken?: string | null;
  }
}

export {};
