import { CloseCode, judgeConnection } from '../../src/session-events/connection-verdict';
import { parseSessionSignal } from '../../src/session-events/session-signal';
import type { BearerSession } from '../../src/sessions/bearer-session.sql';

const now = new Date('2026-12-04T12:00:00Z');
const later = new Date('2026-12-05T12:00:00Z');

function stored(session: { revokedAt?: Date | null; revokedReason?: string | null; idleExpiresAt?: Date }, roleName: string | null): BearerSession {
  return {
    session: { revokedAt: null, revokedReason: null, idleExpiresAt: later, absoluteExpiresAt: later, ...session },
    roleName,
    rolePermissions: null,
    accountRequiresTwoFactor: false,
  } as unknown as BearerSession;
}

describe('judgeConnection', () => {
  const connection = { role: 'member' };

  it('leaves a live session with the same role alone', () => {
    expect(judgeConnection(connection, stored({}, 'member'), null, now)).toEqual({ kind: 'unchanged' });
  });

  it('tells a live session of its new role', () => {
    expect(judgeConnection(connection, stored({}, 'admin'), null, now)).toEqual({ kind: 'role-changed', role: 'admin' });
  });

  it('ends a revoked session with 4401 and its stored reason, whatever the signal said', () => {
    expect(judgeConnection(connection, stored({ revokedAt: now, revokedReason: 'PASSWORD_CHANGED' }, 'member'), 'LOGOUT', now)).toEqual({
      kind: 'ended',
      code: CloseCode.UNAUTHORIZED,
      reason: 'PASSWORD_CHANGED',
    });
  });

  it('ends with 4403 when the membership is gone, revoked or not', () => {
    expect(judgeConnection(connection, stored({}, null), null, now)).toMatchObject({ kind: 'ended', code: CloseCode.FORBIDDEN, reason: 'MEMBERSHIP_REMOVED' });
    expect(judgeConnection(connection, stored({ revokedAt: now, revokedReason: 'LEFT_ACCOUNT' }, 'member'), null, now)).toMatchObject({ code: CloseCode.FORBIDDEN });
  });

  it('ends an expired session with 4401 and no reason', () => {
    expect(judgeConnection(connection, stored({ idleExpiresAt: now }, 'member'), null, now)).toEqual({ kind: 'ended', code: CloseCode.UNAUTHORIZED, reason: null });
  });

  it('ends a session whose row is gone by the signalled reason: 4403 for a deleted account, 4401 for a deleted user', () => {
    expect(judgeConnection(connection, null, 'ACCOUNT_DELETED', now)).toMatchObject({ code: CloseCode.FORBIDDEN, reason: 'ACCOUNT_DELETED' });
    expect(judgeConnection(connection, null, 'DELETED', now)).toMatchObject({ code: CloseCode.UNAUTHORIZED, reason: 'DELETED' });
  });
});

describe('parseSessionSignal', () => {
  it('reads the payloads the triggers send', () => {
    expect(parseSessionSignal('{"kind":"session","sessionId":"s","userId":"u","accountId":"a","reason":"LOGOUT"}')).toEqual({
      kind: 'session',
      sessionId: 's',
      userId: 'u',
      accountId: 'a',
      reason: 'LOGOUT',
    });
    expect(parseSessionSignal('{"kind":"membership","userId":"u","accountId":"a","change":"ROLE_CHANGED"}')).toMatchObject({ kind: 'membership' });
  });

  it('answers null for anything else', () => {
    for (const payload of ['', 'not json', 'null', '{"kind":"session"}', '{"kind":"other","userId":"u"}']) expect(parseSessionSignal(payload)).toBeNull();
  });
});
