import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { CONFIGURATION_VARIABLES } from '../../src/config/environment';
import { loadConfig } from '../../src/config/load-config';
import { generateEcKeyPair, generateRsaKeyPair, onOneLine } from '../support/signing-keys';
import { temporaryDirectory } from '../support/temporary-directories';

const STRONG_SECRET = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
const freshDataDir = () => temporaryDirectory('config');

describe('loadConfig', () => {
  it('runs with no configuration at all: embedded database under DATA_DIR, port 4000', () => {
    const dataDir = freshDataDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    expect(config.passwords.argon2).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(config.passwords.minLength).toBe(12);
    expect(config.sessions.refreshReuseGraceSeconds).toBe(10);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('generates a development secret once and keeps it, readable only by its owner', () => {
    const dataDir = freshDataDir();
    const first = loadConfig({ DATA_DIR: dataDir }).tokens.secret;
    const second = loadConfig({ DATA_DIR: dataDir }).tokens.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second.equals(first)).toBe(true);
    const secretFile = path.join(dataDir, 'jwt-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFile, 'utf8')).not.toBe('');
  });

  it('uses PostgreSQL when DATABASE_URL is given', () => {
    const config = loadConfig({ DATA_DIR: freshDataDir(), DATABASE_URL: 'postgresql://user@db:5432/app', DATABASE_POOL_SIZE: '7' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://user@db:5432/app',
      poolSize: 7,
      connectTimeoutSeconds: 5,
      statementTimeoutSeconds: 10,
    });
  });

  it('bounds the waits on PostgreSQL as configured', () => {
    const config = loadConfig({
      DATA_DIR: freshDataDir(),
      DATABASE_URL: 'postgresql://user@db:5432/app',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      DATABASE_STATEMENT_TIMEOUT_SECONDS: '3',
    });
    expect(config.database).toMatchObject({ connectTimeoutSeconds: 2, statementTimeoutSeconds: 3 });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['ACCESS_TOKEN_TTL_SECONDS', { ACCESS_TOKEN_TTL_SECONDS: '-5' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['JWT_SECRET', { JWT_SECRET: 'a'.repeat(64) }],
    ['SESSION_IDLE_TTL_SECONDS', { SESSION_IDLE_TTL_SECONDS: '7200', SESSION_ABSOLUTE_TTL_SECONDS: '3600' }],
    ['PLAYGROUND_ENABLED', { PLAYGROUND_ENABLED: 'maybe' }],
    ['DATABASE_STATEMENT_TIMEOUT_SECONDS', { DATABASE_STATEMENT_TIMEOUT_SECONDS: '0' }],
    ['FEDERATION_AUTHORIZATION_DIRECTIVES', { FEDERATION_AUTHORIZATION_DIRECTIVES: 'yes please' }],
    ['GATEWAY_SECRET', { GATEWAY_SECRET: 'too-short' }],
    ['GATEWAY_SECRET', { GATEWAY_SECRET: 'b'.repeat(48) }],
    // It travels in a header: a space or a non-ASCII character would not arrive as written.
    ['GATEWAY_SECRET', { GATEWAY_SECRET: 'k3J9 wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5' }],
    ['GATEWAY_SECRET', { GATEWAY_SECRET: 'k3J9é-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5' }],
    ['SHUTDOWN_DRAIN_SECONDS', { SHUTDOWN_DRAIN_SECONDS: '-1' }],
    ['SHUTDOWN_DRAIN_SECONDS', { SHUTDOWN_DRAIN_SECONDS: 'soon' }],
  ])('names %s when its value is invalid', (variable, environment) => {
    expect(() => loadConfig({ DATA_DIR: freshDataDir(), ...environment })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: freshDataDir(), ...environment })).toThrow(variable);
  });

  it('refuses to start in production without a JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: freshDataDir() })).toThrow(/JWT_SECRET: required/);
  });

  it('accepts a strong JWT_SECRET in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, DATA_DIR: freshDataDir() });
    expect(config.tokens.secret.toString()).toBe(STRONG_SECRET);
    expect(config.isProduction).toBe(true);
  });

  it('turns the playground on outside production, off in production unless asked, and introspection with it', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, DATA_DIR: freshDataDir() };
    const pick = ({ playgroundEnabled, introspectionEnabled }: ReturnType<typeof loadConfig>) => ({ playgroundEnabled, introspectionEnabled });
    expect(pick(loadConfig({ DATA_DIR: freshDataDir() }))).toEqual({ playgroundEnabled: true, introspectionEnabled: true });
    expect(pick(loadConfig({ DATA_DIR: freshDataDir(), PLAYGROUND_ENABLED: 'false' }))).toEqual({ playgroundEnabled: false, introspectionEnabled: true });
    expect(pick(loadConfig(production))).toEqual({ playgroundEnabled: false, introspectionEnabled: false });
    expect(pick(loadConfig({ ...production, PLAYGROUND_ENABLED: 'true' }))).toEqual({ playgroundEnabled: true, introspectionEnabled: true });
  });

  it('drains a stopping instance for 5 s in production and not at all elsewhere, unless SHUTDOWN_DRAIN_SECONDS says otherwise', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, DATA_DIR: freshDataDir() };
    expect(loadConfig(production).shutdownDrainSeconds).toBe(5);
    expect(loadConfig({ DATA_DIR: freshDataDir() }).shutdownDrainSeconds).toBe(0);
    expect(loadConfig({ DATA_DIR: freshDataDir(), NODE_ENV: 'test' }).shutdownDrainSeconds).toBe(0);
    expect(loadConfig({ ...production, SHUTDOWN_DRAIN_SECONDS: '0' }).shutdownDrainSeconds).toBe(0);
    expect(loadConfig({ DATA_DIR: freshDataDir(), SHUTDOWN_DRAIN_SECONDS: '12' }).shutdownDrainSeconds).toBe(12);
    expect(loadConfig({ ...production, SHUTDOWN_DRAIN_SECONDS: '' }).shutdownDrainSeconds).toBe(5);
  });

  it('keeps GATEWAY_SECRET as given, and none by default', () => {
    expect(loadConfig({ DATA_DIR: freshDataDir() }).gatewaySecret).toBeNull();
    expect(loadConfig({ DATA_DIR: freshDataDir(), GATEWAY_SECRET: `${STRONG_SECRET}+/=` }).gatewaySecret).toBe(`${STRONG_SECRET}+/=`);
  });

  it('publishes the federation authorization directives only when FEDERATION_AUTHORIZATION_DIRECTIVES says so', () => {
    expect(loadConfig({ DATA_DIR: freshDataDir() }).federationAuthorizationDirectives).toBe(false);
    expect(loadConfig({ DATA_DIR: freshDataDir(), FEDERATION_AUTHORIZATION_DIRECTIVES: 'true' }).federationAuthorizationDirectives).toBe(true);
    expect(loadConfig({ DATA_DIR: freshDataDir(), FEDERATION_AUTHORIZATION_DIRECTIVES: 'false' }).federationAuthorizationDirectives).toBe(false);
  });

  it('has every variable it reads listed in .env.example', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(CONFIGURATION_VARIABLES.filter((variable) => !listed.has(variable))).toEqual([]);
  });
});

describe('loadConfig with asymmetric signing keys', () => {
  const rsa = generateRsaKeyPair();
  const ec = generateEcKeyPair();
  const fileHolding = (text: string) => {
    const file = path.join(freshDataDir(), 'key.pem');
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const load = (environment: Record<string, string>) => loadConfig({ DATA_DIR: freshDataDir(), JWT_SECRET: STRONG_SECRET, ...environment });
  /** What would betray a key if a message quoted it: any line of its base64 body. */
  const keyBodyLines = (...pems: string[]) => pems.flatMap((pem) => pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----')));

  it('signs with HS256 alone when no private key is configured', () => {
    const config = load({});
    expect(config.tokens.signingKey).toBeNull();
    expect(config.tokens.previousPublicKeys).toEqual([]);
  });

  it('reads an RSA private key as RS256, also on one line with literal \\n escapes', () => {
    for (const pem of [rsa.privateKey, onOneLine(rsa.privateKey)]) {
      const { signingKey } = load({ JWT_PRIVATE_KEY: pem }).tokens;
      expect(signingKey?.algorithm).toBe('RS256');
      expect(signingKey?.privateKey.type).toBe('private');
      expect(signingKey?.publicKey.type).toBe('public');
    }
  });

  it('reads an EC P-256 private key from JWT_PRIVATE_KEY_FILE as ES256', () => {
    const { signingKey } = load({ JWT_PRIVATE_KEY_FILE: fileHolding(ec.privateKey) }).tokens;
    expect(signingKey?.algorithm).toBe('ES256');
  });

  it('reads several verify-only public keys from one variable, each with its algorithm', () => {
    const { previousPublicKeys } = load({ JWT_PRIVATE_KEY: ec.privateKey, JWT_PREVIOUS_PUBLIC_KEYS: `${rsa.publicKey}\n${ec.publicKey}` }).tokens;
    expect(previousPublicKeys.map((key) => key.algorithm)).toEqual(['RS256', 'ES256']);
    expect(Object.isFrozen(previousPublicKeys)).toBe(true);
  });

  it.each<[string, string, () => Record<string, string>]>([
    ['JWT_PRIVATE_KEY', 'an RSA key under 2048 bits', () => ({ JWT_PRIVATE_KEY: generateRsaKeyPair(1024).privateKey })],
    ['JWT_PRIVATE_KEY', 'an EC key on P-384', () => ({ JWT_PRIVATE_KEY: generateEcKeyPair('P-384').privateKey })],
    ['JWT_PRIVATE_KEY', 'an Ed25519 key', () => ({ JWT_PRIVATE_KEY: generateKeyPairSync('ed25519', {
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        }).privateKey })],
    ['JWT_PRIVATE_KEY', 'a public key', () => ({ JWT_PRIVATE_KEY: rsa.publicKey })],
    ['JWT_PRIVATE_KEY', 'text that is no PEM', () => ({ JWT_PRIVATE_KEY: 'my-private-key' })],
    ['JWT_PRIVATE_KEY', 'a PEM whose body is damaged', () => ({ JWT_PRIVATE_KEY: rsa.privateKey.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') })],
    [
      'JWT_PRIVATE_KEY',
      'an encrypted private key',
      () => ({
        JWT_PRIVATE_KEY: generateKeyPairSync('ec', {
          namedCurve: 'P-256',
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
        }).privateKey,
      }),
    ],
    ['JWT_PRIVATE_KEY', 'a value while JWT_PRIVATE_KEY_FILE is set too', () => ({ JWT_PRIVATE_KEY: rsa.privateKey, JWT_PRIVATE_KEY_FILE: fileHolding(rsa.privateKey) })],
    ['JWT_PRIVATE_KEY_FILE', 'a path to no file', () => ({ JWT_PRIVATE_KEY_FILE: path.join(freshDataDir(), 'missing.pem') })],
    ['JWT_PREVIOUS_PUBLIC_KEYS', 'a private key', () => ({ JWT_PREVIOUS_PUBLIC_KEYS: rsa.privateKey })],
    ['JWT_PREVIOUS_PUBLIC_KEYS', 'an RSA public key under 2048 bits', () => ({ JWT_PREVIOUS_PUBLIC_KEYS: generateRsaKeyPair(1024).publicKey })],
    ['JWT_PREVIOUS_PUBLIC_KEYS', 'text that is no PEM', () => ({ JWT_PREVIOUS_PUBLIC_KEYS: 'old-key' })],
    ['JWT_PREVIOUS_PUBLIC_KEYS_FILE', 'a file holding an EC P-384 public key', () => ({ JWT_PREVIOUS_PUBLIC_KEYS_FILE: fileHolding(generateEcKeyPair('P-384').publicKey) })],
  ])('names %s when it holds %s, and quotes no key material', (variable, _case, environment) => {
    const values = environment();
    let error: unknown;
    try {
      load(values);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${variable}:`);
    const message = (error as Error).message;
    for (const line of keyBodyLines(...Object.values(values).filter((value) => value.includes('-----BEGIN')))) {
      expect(message).not.toContain(line);
    }
  });

  it('names every bad key variable at once', () => {
    expect(() => load({ JWT_PRIVATE_KEY: 'nope', JWT_PREVIOUS_PUBLIC_KEYS: 'nope' })).toThrow(
      /JWT_PRIVATE_KEY: [^\n]+\n\s+JWT_PREVIOUS_PUBLIC_KEYS: /,
    );
  });
});
