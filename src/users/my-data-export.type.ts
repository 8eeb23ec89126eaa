import { Field, ID, ObjectType } from 'type-graphql';

/**
 * What exportMyData answers (GDPR art. 15 access, art. 20 portability): the signed-in user's own data,
 * never a secret (no password hash, TOTP secret, token or token hash) and nothing of other people beyond
 * what the user already sees (the names of accounts they belong to or were invited to).
 */

@ObjectType('ExportedUser', { description: 'The user as stored, without credentials.' })
export class ExportedUserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Date, { nullable: true, description: 'When the current address was proven; null while unverified.' })
  emailVerifiedAt!: Date | null;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The account the last login went into.' })
  lastAccountId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When two-factor authentication was turned on; null while it is off. The secret is never exported.' })
  twoFactorEnabledAt!: Date | null;
}

@ObjectType('ExportedMembership', { description: 'An account the user belongs to, and as what.' })
export class ExportedMembershipType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  accountName!: string;

  @Field(() => String)
  role!: string;

  @Field(() => Date, { description: 'When the user joined the account.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the user last opened or refreshed a session in it (refreshes count once a minute).' })
  lastUsedAt!: Date | null;
}

@ObjectType('ExportedSession', { description: 'A login of the user, live or ended; no token material.' })
export class ExportedSessionType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  lastUsedAt!: Date;

  @Field(() => Date)
  idleExpiresAt!: Date;

  @Field(() => Date)
  absoluteExpiresAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it ended, e.g. LOGOUT, PASSWORD_CHANGED.' })
  revokedReason!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'The address the session was started from.' })
  ip!: string | null;
}

@ObjectType('ExportedInvitation', {
  description: 'An invitation to an account. Of one the user sent, the invited address is left out: it is the invitee’s data, not theirs.',
})
export class ExportedInvitationType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  accountName!: string;

  @Field(() => String)
  role!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  declinedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('ExportedAuthEvent', {
  description: 'A security event recorded with the user as its actor. Its details are left out: they may name other people (a member whose role the user changed).',
})
export class ExportedAuthEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. LOGIN_SUCCEEDED, PASSWORD_CHANGED, EMAIL_CHANGED.' })
  type!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('UserDataExport', { description: 'Everything Gatehouse holds about the signed-in user (GDPR art. 15 and 20), as of exportedAt.' })
export class UserDataExportType {
  @Field(() => Date)
  exportedAt!: Date;

  @Field(() => ExportedUserType)
  user!: ExportedUserType;

  @Field(() => [ExportedMembershipType], { description: 'Every account the user belongs to.' })
  memberships!: ExportedMembershipType[];

  @Field(() => [ExportedSessionType], { description: 'The user’s sessions, live and ended, newest first: at most the last 1000 (sessionsTruncated says whether older ones were left out).' })
  sessions!: ExportedSessionType[];

  @Field(() => Boolean, { description: 'More sessions exist than the 1000 listed.' })
  sessionsTruncated!: boolean;

  @Field(() => [ExportedInvitationType], { description: 'Invitations sent to the user’s current address, newest first: at most the last 1000.' })
  invitationsReceived!: ExportedInvitationType[];

  @Field(() => [ExportedInvitationType], { description: 'Invitations the user sent, newest first, without the invited address: at most the last 1000.' })
  invitationsSent!: ExportedInvitationType[];

  @Field(() => [ExportedAuthEventType], {
    description: 'Security events with the user as actor, newest first: at most the last 1000 (auditEventsTruncated says whether older ones were left out).',
  })
  auditEvents!: ExportedAuthEventType[];

  @Field(() => Boolean, { description: 'More audit events exist than the 1000 listed.' })
  auditEventsTruncated!: boolean;
}
