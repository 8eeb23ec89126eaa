import { loadConfig } from '../../src/config/load-config';
import { deriveTokenKeys } from '../../src/tokens/keys';
import { temporaryDirectory } from '../support/temporary-directories';

// Pinned bytes, not a recomputation: TOTP secrets are stored encrypted under the derived key, and stored
// recovery codes and refresh-token successors depend on the token keys. If any of these change, every
// existing deployment loses them, so a refactoring of the derivation must leave each hex string as it is.
const JWT_SECRET = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
const TOTP_ENCRYPTION_KEY = 'T0tp-Encryption_Key-For-Pinning-0123456789';

describe('keys derived from the configured secrets', () => {
  const load = (environment: Record<string, string>) => loadConfig({ DATA_DIR: temporaryDirectory('derived-keys'), JWT_SECRET, ...environment });

  it('derive the TOTP encryption key from JWT_SECRET when no TOTP_ENCRYPTION_KEY is set, as they always have', () => {
    expect(load({}).twoFactor.encryptionKey.toString('hex')).toBe('32da269d42d151536dda0913fb56b66aa4b470d04c62cdabc17a44ddc1af6ad2');
  });

  it('derive the TOTP encryption key from TOTP_ENCRYPTION_KEY when it is set, as they always have', () => {
    expect(load({ TOTP_ENCRYPTION_KEY }).twoFactor.encryptionKey.toString('hex')).toBe(
      'e4df7434a21c274b6b93b9d383dcb5d906d4396820c999768425b2e3fc8e35cc',
    );
  });

  it('derive the token keys from the secret as they always have', () => {
    const keys = deriveTokenKeys(Buffer.from(JWT_SECRET, 'utf8'));
    expect(keys.accessToken.export().toString('hex')).toBe('d130602b293052d239468678558575a5d37cadc585098090031fe5abc8e05b47');
    expect(keys.refreshSuccessor.toString('hex')).toBe('e343a240d325aab3d961355a97393b3d26698cd9df90aa68034c0b64063f3d8c');
    expect(keys.recoveryCode.toString('hex')).toBe('60f67f09f4dfb9ac6a57ac34ece4cc8dc9c6e8ffbae65447f754461e7f34896b');
  });
});
