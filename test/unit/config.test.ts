import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIGURATION_VARIABLES, ConfigError, loadConfig } from '../../src/config';

const STRONG_SECRET = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
const freshDataDir = () => mkdtempSync(path.join(tmpdir(), 'gatehouse-config-'));

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
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://user@db:5432/app', poolSize: 7 });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['ACCESS_TOKEN_TTL_SECONDS', { ACCESS_TOKEN_TTL_SECONDS: '-5' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['JWT_SECRET', { JWT_SECRET: 'a'.repeat(64) }],
    ['SESSION_IDLE_TTL_SECONDS', { SESSION_IDLE_TTL_SECONDS: '7200', SESSION_ABSOLUTE_TTL_SECONDS: '3600' }],
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

  it('has every variable it reads listed in .env.example', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(CONFIGURATION_VARIABLES.filter((variable) => !listed.has(variable))).toEqual([]);
  });
});
