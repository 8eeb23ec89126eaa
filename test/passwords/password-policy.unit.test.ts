import { normalizePassword, PasswordPolicy } from '../../src/passwords/password-policy';
import { PasswordStrengthEstimator } from '../../src/passwords/password-strength';

const lengths = { minLength: 12, maxLength: 256 };
const strength = new PasswordStrengthEstimator();
const policy = new PasswordPolicy(lengths, strength);
afterAll(() => strength.close());

const reasonOf = (checking: Promise<unknown>): Promise<string | null> =>
  checking.then(
    () => null,
    (error: unknown) => (error as { extensions: { reason: string } }).extensions.reason,
  );

describe('password policy', () => {
  it('accepts a long random password and a passphrase, with no composition rules', async () => {
    await expect(policy.check('correct horse battery staple')).resolves.toBe('correct horse battery staple');
    await expect(policy.check('vjq2-mzt8-xkpa-w7rd')).resolves.toBe('vjq2-mzt8-xkpa-w7rd');
  });

  it.each(['passwordpassword', 'qwertyuiopasdf', 'iloveyou123456', 'aaaaaaaaaaaaaaaa', '123456789012'])('refuses the guessable %s', async (password) => {
    expect(await reasonOf(policy.check(password))).toBe('WEAK_PASSWORD');
  });

  it('refuses a password built from the user’s own email or username', async () => {
    expect(await reasonOf(policy.check('marguerite.perey1909', ['marguerite.perey1909@example.test', 'marguerite.perey1909']))).toBe('WEAK_PASSWORD');
  });

  it('refuses a password with a lone surrogate, which UTF-8 would turn into U+FFFD before hashing', async () => {
    expect(await reasonOf(policy.check('vjq2-mzt8-xkpa-w7rd\uD83D'))).toBe('INVALID_VALUE');
    await expect(policy.check('vjq2-mzt8-xkpa-w7rd🔐')).resolves.toBe('vjq2-mzt8-xkpa-w7rd🔐');
  });

  it('counts code points, not UTF-16 units, against the length limits', async () => {
    const elevenEmoji = '🔐🗝️🚪🏰🛡️⚔️🐉🦄🌋🌊🎲';
    expect(await reasonOf(policy.check('🔐'.repeat(11)))).toBe('WEAK_PASSWORD');
    expect([...normalizePassword(elevenEmoji)].length).toBeGreaterThan(11);
    expect(await reasonOf(policy.check('🔐'.repeat(257)))).toBe('INVALID_VALUE');
  });

  it('normalizes with NFKC, so full-width and ASCII spellings are the same password', () => {
    expect(normalizePassword('ｃｏｒｒｅｃｔ ｈｏｒｓｅ')).toBe('correct horse');
  });

  it('refuses a megabyte before doing any work on it', async () => {
    expect(await reasonOf(policy.check('x'.repeat(1_048_576)))).toBe('INVALID_VALUE');
  });

  it('answers the cheap checks on the event loop: a password refused for its length or form starts no strength thread', async () => {
    const unstarted = new PasswordStrengthEstimator();
    const cheapOnly = new PasswordPolicy(lengths, unstarted);

    expect(await reasonOf(cheapOnly.check('x'.repeat(1_048_576)))).toBe('INVALID_VALUE');
    expect(await reasonOf(cheapOnly.check('🔐'.repeat(257)))).toBe('INVALID_VALUE');
    expect(await reasonOf(cheapOnly.check('vjq2-mzt8-xkpa-w7rd\uD83D'))).toBe('INVALID_VALUE');
    expect(await reasonOf(cheapOnly.check('Xy7-short'))).toBe('WEAK_PASSWORD');

    expect(unstarted.threadCount).toBe(0);
    await unstarted.close();
  });
});
