import type { AuditLog } from './audit/audit-log';
import type { Mailer } from './email/mailer';
import type { MembershipService } from './accounts/membership.service';
import type { RoleCatalog } from './accounts/roles';
import type { AuthService } from './auth/auth.service';
import type { SessionService } from './sessions/session.service';

/** The services resolvers call, wired once by createApp. */
export interface Services {
  readonly audit: AuditLog;
  readonly mailer: Mailer;
  readonly auth: AuthService;
  readonly sessions: SessionService;
  readonly memberships: MembershipService;
  readonly roles: RoleCatalog;
}
