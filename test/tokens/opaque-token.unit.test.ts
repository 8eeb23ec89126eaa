import { createOpaqueToken, hashSecret, parseOpaqueToken, secretMatches, TokenPrefix } from '../../src/tokens/opaque-token';

describe('opaque tokens', () => {
  it('carry 256 bits of secret after a kind prefix and an id', () => {
    const { token, id, secret } = createOpaqueToken(TokenPrefix.refresh);
    expect(token).toBe(`ghr_${id}.${secret}`);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('parse only as their own kind', () => {
    const refresh = createOpaqueToken(TokenPrefix.refresh).token;
    expect(parseOpaqueToken(TokenPrefix.refresh, refresh)).not.toBeNull();
    expect(parseOpaqueToken(TokenPrefix.selection, refresh)).toBeNull();
  });

  it.each(['', 'ghr_', 'ghr_not-a-uuid.secret', `ghr_${'0'.repeat(36)}`, 'ghr_00000000-0000-4000-8000-000000000000.short'])('reject the malformed %p', (token) => {
    expect(parseOpaqueToken(TokenPrefix.refresh, token)).toBeNull();
  });

  it('match only the secret whose hash is stored', () => {
    const { secret } = createOpaqueToken(TokenPrefix.refresh);
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(createOpaqueToken(TokenPrefix.refresh).secret, stored)).toBe(false);
  });
});
