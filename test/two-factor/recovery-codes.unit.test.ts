import { randomBytes } from 'node:crypto';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from '../../src/two-factor/recovery-codes';

describe('recovery codes', () => {
  it('come ten at a time as two groups of five base32 characters, all different', () => {
    const codes = generateRecoveryCodes();

    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
  });

  it('forgive case, spaces, dashes and digits typed for look-alike letters', () => {
    expect(normalizeRecoveryCode(' abcde-fghij ')).toBe('ABCDEFGHIJ');
    expect(normalizeRecoveryCode('ABCDE FGHIJ')).toBe('ABCDEFGHIJ');
    expect(normalizeRecoveryCode('0B1DE-8GH2J')).toBe('OBIDEBGH2J');
  });

  it.each(['', 'ABCDE', 'ABCDE-FGHIJK', 'ABCDE-FGH9J', '123456', 'A'.repeat(100)])('refuse the malformed %p', (code) => {
    expect(normalizeRecoveryCode(code)).toBeNull();
  });

  it('hash under the key: deterministic for one key, different under another', () => {
    const key = randomBytes(32);

    expect(hashRecoveryCode(key, 'ABCDEFGHIJ')).toBe(hashRecoveryCode(key, 'ABCDEFGHIJ'));
    expect(hashRecoveryCode(key, 'ABCDEFGHIJ')).not.toBe(hashRecoveryCode(randomBytes(32), 'ABCDEFGHIJ'));
    expect(hashRecoveryCode(key, 'ABCDEFGHIJ')).not.toContain('ABCDEFGHIJ');
  });
});
