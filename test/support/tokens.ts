/** Reading the tokens the service issues, without verifying them: for asserting on what it signed or stored. */

/** A JWT's claims. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The session an access token belongs to (its `sid` claim): the id of its row in Session. */
export function sessionIdOf(accessToken: string): string {
  const { sid } = decodeJwtPayload(accessToken);
  if (typeof sid !== 'string') throw new Error('the access token names no session');
  return sid;
}

/**
 * The two halves of an opaque token ("ghr_<id>.<secret>", src/tokens/opaque-token.ts): the id finds
 * its row, the secret is what must never be stored or logged.
 */
export function opaqueTokenParts(token: string): { id: string; secret: string } {
  const [id, secret] = token.replace(/^gh[a-z]_/, '').split('.');
  if (!id || !secret) throw new Error(`not an opaque token: ${token}`);
  return { id, secret };
}

/** JWT segment encoding, for hand-made headers and payloads. */
export const base64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
