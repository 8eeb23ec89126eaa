import type { Permission } from './permission';

/** The caller behind a valid access token whose session is still live. */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly accountId: string;
  /**
   * The membership's role as the database holds it now, read with the session: never the token's
   * `role` claim, which is only as fresh as the token's last refresh.
   */
  readonly role: string;
  /** The role's permissions, or none while the email is unverified (RoleCatalog.accessOf). */
  readonly access: readonly Permission[];
  readonly clientId: string | null;
  /** Read with the session on every request, so verifying takes effect at once. */
  readonly emailVerified: boolean;
}
