import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { SessionEventKind, SessionEventMessage } from '../identity/session-event';
import { RevocationReason } from '../sessions/revocation';

export const SessionEventType = { REVOKED: 'REVOKED', ROLE_CHANGED: 'ROLE_CHANGED', TOKEN_EXPIRING: 'TOKEN_EXPIRING' } as const satisfies Record<SessionEventKind, SessionEventKind>;
registerEnumType(SessionEventType, {
  name: 'SessionEventType',
  description: 'REVOKED: the session ended (the socket closes next); ROLE_CHANGED: the member has another role; TOKEN_EXPIRING: the access token expires soon (the socket closes at its expiry).',
});

/** Every stored revocation reason, plus DELETED: the session went with its user or account. */
export const SessionEndReason = { ...RevocationReason, DELETED: 'DELETED' } as const;
registerEnumType(SessionEndReason, { name: 'SessionEndReason', description: 'Why a session ended.' });

@ObjectType('SessionEvent', { description: "Something that happened to the subscriber's own session. Ids only: no token ever travels in an event." })
export class SessionEvent implements SessionEventMessage {
  @Field(() => SessionEventType)
  type!: SessionEventKind;

  @Field(() => ID, { description: 'The session the connection was opened with.' })
  sessionId!: string;

  @Field(() => SessionEndReason, { nullable: true, description: 'REVOKED only.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: "ROLE_CHANGED only: the member's role now." })
  role!: string | null;

  @Field(() => Date, { nullable: true, description: "TOKEN_EXPIRING only: when the connection's access token expires." })
  expiresAt!: Date | null;
}
