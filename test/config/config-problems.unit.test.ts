import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { generateRsaKeyPair } from '../support/signing-keys';
import { temporaryDirectory } from '../support/temporary-directories';

const STRONG_SECRET = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';

/** The ConfigError loadConfig throws for this environment (failing the test if it throws nothing else). */
function configErrorFor(environment: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: temporaryDirectory('config-problems'), ...environment });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the configuration');
}

/** The variable each line of the message names (`  VARIABLE: what is wrong`), in order. */
const namedVariables = (error: ConfigError): string[] =>
  error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(':')[0]!.split('.')[0]!);

describe('a configuration with several mistakes', () => {
  it('names every bad variable in one error: a weak JWT_SECRET in production, PORT=abc and CORS_ORIGINS=*', () => {
    const weakSecret = 'hunter2hunter2';
    const error = configErrorFor({ NODE_ENV: 'production', JWT_SECRET: weakSecret, PORT: 'abc', CORS_ORIGINS: '*' });

    expect(namedVariables(error).sort()).toEqual(['CORS_ORIGINS', 'JWT_SECRET', 'PORT']);
    expect(error.message).not.toContain(weakSecret);
  });

  it('names schema, secret, key and cross-variable problems together, quoting no secret or key', () => {
    const secrets = {
      JWT_SECRET: 'a'.repeat(64),
      TOTP_ENCRYPTION_KEY: 'short-totp-key',
      GATEWAY_SECRET: 'gateway secret with spaces in it, long enough to pass on length',
    };
    const privateKey = generateRsaKeyPair().privateKey;
    const error = configErrorFor({
      ...secrets,
      DATABASE_URL: 'mysql://root:database-password@db/app',
      JWT_PREVIOUS_PUBLIC_KEYS: privateKey,
      JWT_PRIVATE_KEY_FILE: path.join(temporaryDirectory('config-problems'), 'missing.pem'),
      CORS_ORIGINS: '*, https://app.example.com',
      SESSION_IDLE_TTL_SECONDS: '7200',
      SESSION_ABSOLUTE_TTL_SECONDS: '3600',
    });

    expect(namedVariables(error).sort()).toEqual([
      'CORS_ORIGINS',
      'DATABASE_URL',
      'GATEWAY_SECRET',
      'JWT_PREVIOUS_PUBLIC_KEYS',
      'JWT_PRIVATE_KEY_FILE',
      'JWT_SECRET',
      'SESSION_IDLE_TTL_SECONDS',
      'TOTP_ENCRYPTION_KEY',
    ]);
    for (const value of Object.values(secrets)) expect(error.message).not.toContain(value);
    expect(error.message).not.toContain('database-password');
    for (const line of privateKey.split('\n').filter((text) => text !== '' && !text.startsWith('-----'))) {
      expect(error.message).not.toContain(line);
    }
  });

  it('names a missing JWT_SECRET in production beside the other mistakes', () => {
    const error = configErrorFor({ NODE_ENV: 'production', LOG_LEVEL: 'loud', GATEWAY_SECRET: 'short' });

    expect(namedVariables(error).sort()).toEqual(['GATEWAY_SECRET', 'JWT_SECRET', 'LOG_LEVEL']);
  });

  it('does not blame SESSION_IDLE_TTL_SECONDS against a default when SESSION_ABSOLUTE_TTL_SECONDS itself is refused', () => {
    const error = configErrorFor({ SESSION_IDLE_TTL_SECONDS: '3600', SESSION_ABSOLUTE_TTL_SECONDS: 'a month' });

    expect(namedVariables(error)).toEqual(['SESSION_ABSOLUTE_TTL_SECONDS']);
  });

  it('writes no development secret when it fails to start', () => {
    const dataDir = path.join(temporaryDirectory('config-problems'), 'data');

    expect(() => loadConfig({ DATA_DIR: dataDir, PORT: 'abc' })).toThrow(ConfigError);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it('still starts with a valid configuration', () => {
    expect(() => loadConfig({ DATA_DIR: temporaryDirectory('config-problems'), NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET })).not.toThrow();
  });
});
