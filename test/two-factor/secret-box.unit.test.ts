import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/two-factor/secret-box';

const box = new SecretBox(randomBytes(32));

describe('the secret box', () => {
  it('seals into a self-describing v1.<iv>.<tag>.<ciphertext> string that opens to the plaintext', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user-1');

    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV each time: the same secret seals differently', () => {
    expect(box.seal('same', 'user-1')).not.toBe(box.seal('same', 'user-1'));
  });

  it('does not open under another context, another key, or after tampering', () => {
    const sealed = box.seal('secret', 'user-1');
    const [version, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] = flipped[0]! ^ 1;

    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'user-1')).toThrow();
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'user-1')).toThrow();
    expect(() => box.open(`v2.${iv}.${tag}.${ciphertext}`, 'user-1')).toThrow();
    expect(() => box.open('JBSWY3DPEHPK3PXP', 'user-1')).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow();
  });
});
