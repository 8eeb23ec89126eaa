import type { RoleCatalog } from '../accounts/roles';
import type { Viewer } from '../identity/viewer';
import type { LiveSession, SessionService } from './session.service';

/** What reading a viewer takes: the bearer's live session and its role's rights (the context builder, and again between mutations). */
export interface ViewerServices {
  readonly sessions: Pick<SessionService, 'findLive'>;
  readonly roles: RoleCatalog;
}

/** The viewer a live session makes: its ids, and the rights of the member's current role (none before verification). */
export function viewerOf({ session, roleName, rolePermissions }: LiveSession, roles: RoleCatalog): Viewer {
  return {
    userId: session.userId,
    sessionId: session.id,
    accountId: session.accountId,
    role: roleName,
    access: roles.accessOf(roles.roleOf(roleName, rolePermissions), session.user.emailVerifiedAt !== null),
    clientId: session.clientId,
    emailVerified: session.user.emailVerifiedAt !== null,
  };
}
