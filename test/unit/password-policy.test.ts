import { checkPasswordPolicy, normalizePassword } from '../../src/passwords/password-policy';

const policy = { minLength: 12, maxLength: 256 };
const reasonOf = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { extensions: { reason: string } }).extensions.reason;
  }
};

describe('password policy', () => {
  it('accepts a long random password and a passphrase, with no composition rules', () => {
    expect(() => checkPasswordPolicy('correct horse battery staple', policy)).not.toThrow();
    expect(() => checkPasswordPolicy('vjq2-mzt8-xkpa-w7rd', policy)).not.toThrow();
  });

  it.each(['passwordpassword', 'qwertyuiopasdf', 'iloveyou123456', 'aaaaaaaaaaaaaaaa', '123456789012'])('refuses the guessable %s', (password) => {
    expect(reasonOf(() => checkPasswordPolicy(password, policy))).toBe('WEAK_PASSWORD');
  });

  it('refuses a password built from the user’s own email or username', () => {
    expect(reasonOf(() => checkPasswordPolicy('marguerite.perey1909', policy, ['marguerite.perey1909@example.test', 'marguerite.perey1909']))).toBe('WEAK_PASSWORD');
  });

  it('refuses a password with a lone surrogate, which UTF-8 would turn into U+FFFD before hashing', () => {
    expect(reasonOf(() => checkPasswordPolicy('vjq2-mzt8-xkpa-w7rd\uD83D', policy))).toBe('INVALID_VALUE');
    expect(() => checkPasswordPolicy('vjq2-mzt8-xkpa-w7rd🔐', policy)).not.toThrow();
  });

  it('counts code points, not UTF-16 units, against the length limits', () => {
    const elevenEmoji = '🔐🗝️🚪🏰🛡️⚔️🐉🦄🌋🌊🎲';
    expect(reasonOf(() => checkPasswordPolicy('🔐'.repeat(11), policy))).toBe('WEAK_PASSWORD');
    expect([...normalizePassword(elevenEmoji)].length).toBeGreaterThan(11);
    expect(reasonOf(() => checkPasswordPolicy('🔐'.repeat(257), policy))).toBe('INVALID_VALUE');
  });

  it('normalizes with NFKC, so full-width and ASCII spellings are the same password', () => {
    expect(normalizePassword('ｃｏｒｒｅｃｔ ｈｏｒｓｅ')).toBe('correct horse');
  });

  it('refuses a megabyte before doing any work on it', () => {
    expect(reasonOf(() => checkPasswordPolicy('x'.repeat(1_048_576), policy))).toBe('INVALID_VALUE');
  });
});
