import type { RoleCatalog } from '../accounts/roles';
import type { Viewer } from '../identity/viewer';
import type { LiveSession } from './session.service';

/** The viewer a live session makes: its ids, and the rights of the member's current role (none before verification). */
export function viewerOf({ session, roleName }: LiveSession, roles: RoleCatalog): Viewer {
  return {
    userId: session.userId,
    sessionId: session.id,
    accountId: session.accountId,
    role: roleName,
    access: roles.permissionsOfMember(roleName, session.user.emailVerifiedAt !== null),
    clientId: session.clientId,
    emailVerified: session.user.emailVerifiedAt !== null,
  };
}
