/**
 * Tokens this process has already verified, by their exact text, with the claims the verification
 * returned. A JWT is immutable and the verification keys are fixed for the life of the process (a key
 * is added or removed by a restart, test/tokens/key-rotation.test.ts), so verifying the same text again
 * can only give the same answer, apart from what depends on the time: the caller checks expiry again on
 * every use. A client presents the same access token on every request for its lifetime (15 minutes by
 * default); this spares each of those requests the signature, the base64 and JSON decoding and the claim
 * checks. Nothing here says the session is live: that is read from the database on every request.
 *
 * Bounded: past `capacity`, the oldest entry goes first (a token still in use is verified and kept again).
 */
export class VerifiedTokenMemo<Claims> {
  private readonly verified = new Map<string, Claims>();

  constructor(private readonly capacity: number) {}

  get(token: string): Claims | undefined {
    return this.verified.get(token);
  }

  remember(token: string, claims: Claims): void {
    if (this.verified.size >= this.capacity) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
  }

  forget(token: string): void {
    this.verified.delete(token);
  }
}
