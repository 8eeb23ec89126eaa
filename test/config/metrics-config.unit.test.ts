import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { temporaryDirectory } from '../support/temporary-directories';

const STRONG_TOKEN = 'm3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5-production' };
const metricsOf = (environment: Record<string, string>) => loadConfig({ DATA_DIR: temporaryDirectory('config'), ...environment }).metrics;

describe('metrics configuration', () => {
  it('keeps /metrics off in production until METRICS_TOKEN or METRICS_PORT says how it is protected', () => {
    expect(metricsOf(PRODUCTION).exposure).toBe('off');
    expect(metricsOf({ ...PRODUCTION, METRICS_TOKEN: STRONG_TOKEN })).toMatchObject({ exposure: 'main', token: STRONG_TOKEN });
    expect(metricsOf({ ...PRODUCTION, METRICS_PORT: '9464' })).toMatchObject({ exposure: 'own-port', port: 9464, host: '0.0.0.0', token: null });
    expect(metricsOf({ ...PRODUCTION, METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toMatchObject({ host: '10.0.0.5' });
  });

  it('serves /metrics on PORT without a token outside production', () => {
    expect(metricsOf({})).toMatchObject({ exposure: 'main', token: null });
  });

  it.each<[string, Record<string, string>]>([
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'c'.repeat(48) }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'm3J9 wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5' }],
    ['METRICS_PORT', { METRICS_PORT: '4000' }],
    ['METRICS_PORT', { METRICS_PORT: '70000' }],
    ['METRICS_PORT', { METRICS_PORT: 'nine' }],
  ])('names %s when its value is invalid, without quoting it', (variable, environment) => {
    const attempt = () => metricsOf(environment);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(variable);
    if (environment.METRICS_TOKEN) expect(attempt).not.toThrow(environment.METRICS_TOKEN);
  });
});
