import { z } from 'zod';

/** The NOTIFY channel the database triggers announce on (migration 20261204160000_session_signals). */
export const SESSION_SIGNAL_CHANNEL = 'gatehouse_session_signals';

const sessionSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), sessionId: z.string(), userId: z.string(), accountId: z.string(), reason: z.string().nullable() }),
  z.object({ kind: z.literal('membership'), userId: z.string(), accountId: z.string(), change: z.enum(['ROLE_CHANGED', 'REMOVED']) }),
]);

/**
 * A change a connection may have to hear of: a session ended (its reason as stored, or DELETED), or a
 * membership changed role or went. A hint, not the truth: the receiver reads the session again.
 */
export type SessionSignal = z.infer<typeof sessionSignalSchema>;

/** The signal a payload carries, or null for anything else (a payload is never trusted to be well formed). */
export function parseSessionSignal(payload: string): SessionSignal | null {
  try {
    const parsed = sessionSignalSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
