import { createHmac } from 'node:crypto';

/**
 * The secret of the token that replaces a rotated refresh token is derived from the presented
 * secret: HMAC(key, successorId ‖ presentedSecret). Only its hash is stored, yet a client that
 * presents the just-rotated token again inside the reuse grace window (a second tab, a retried
 * request) can be handed the very same successor instead of a new branch or a revoked session.
 * Nobody without the presented secret and the server key can compute it.
 */
export function deriveSuccessorSecret(key: Buffer, successorId: string, presentedSecret: string): string {
  return createHmac('sha256', key).update(successorId).update('\0').update(presentedSecret).digest('base64url');
}
