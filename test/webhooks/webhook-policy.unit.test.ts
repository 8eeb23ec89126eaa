import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, retryDelaySeconds } from '../../src/webhooks/retry-schedule';
import { isPrivateAddress, refuseEndpointUrl } from '../../src/webhooks/target-policy';
import { temporaryDirectory } from '../support/temporary-directories';

const production = { allowPrivateTargets: false, requireHttps: true };

describe('where an account endpoint may point', () => {
  it.each(['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::7f00:1', '::127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])(
    'refuses %s as a private address',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('takes %s as public', (address) => expect(isPrivateAddress(address)).toBe(false));

  it.each([
    ['http://hooks.example.com/x', 'https'],
    ['https://127.0.0.1/x', 'private'],
    ['https://[::1]:8443/x', 'private'],
    ['https://[::ffff:7f00:1]/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://localhost/x', 'private'],
    ['https://api.localhost/x', 'private'],
    ['https://user:pass@hooks.example.com/x', 'user name'],
    ['ftp://hooks.example.com/x', 'http'],
    ['not a url', 'absolute'],
  ])('refuses %s in production', (url, why) => expect(refuseEndpointUrl(url, production)).toContain(why));

  it('accepts a public https URL in production, and loopback where the operator allows private targets', () => {
    expect(refuseEndpointUrl('https://hooks.example.com/gatehouse', production)).toBeNull();
    expect(refuseEndpointUrl('http://127.0.0.1:8080/hook', { allowPrivateTargets: true, requireHttps: false })).toBeNull();
  });
});

describe('the retry schedule', () => {
  it('grows with every attempt and spans more than 24 hours before giving up', () => {
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, index) => retryDelaySeconds(index + 1, () => 0)!);
    expect(delays).toEqual(RETRY_DELAYS_SECONDS);
    expect(delays.every((delay, index) => index === 0 || delay > delays[index - 1]!)).toBe(true);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(24 * 60 * 60);
    expect(retryDelaySeconds(MAX_ATTEMPTS)).toBeNull();
  });

  it('adds at most a fifth at random, never less than the table', () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(5);
    expect(retryDelaySeconds(1, () => 0.999)).toBeLessThan(6);
  });
});

describe('webhook configuration', () => {
  const load = (environment: Record<string, string>) => loadConfig({ DATA_DIR: temporaryDirectory('webhook-config'), ...environment });
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

  it('reads operator endpoints, and refuses private targets and plain http in production unless allowed', () => {
    const config = load({ WEBHOOK_ENDPOINTS: JSON.stringify([{ url: 'http://10.0.0.5/hooks', secret }]) });
    expect(config.webhooks.operatorEndpoints).toEqual([{ url: 'http://10.0.0.5/hooks', secret }]);
    expect(config.webhooks).toMatchObject({ allowPrivateTargets: true, requireHttps: false });
    const strong = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
    expect(load({ NODE_ENV: 'production', JWT_SECRET: strong }).webhooks).toMatchObject({ allowPrivateTargets: false, requireHttps: true });
    expect(load({ NODE_ENV: 'production', JWT_SECRET: strong, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.allowPrivateTargets).toBe(true);
  });

  it.each([['not json'], [JSON.stringify([{ url: 'http://x.test/h', secret: 'whsec_short' }])], [JSON.stringify([{ url: 'gopher://x.test', secret }])], [JSON.stringify({ url: 'http://x.test' })]])(
    'names WEBHOOK_ENDPOINTS without quoting it when it is %s',
    (value) => {
      let thrown: unknown;
      try {
        load({ WEBHOOK_ENDPOINTS: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toContain('WEBHOOK_ENDPOINTS');
      expect((thrown as ConfigError).message).not.toContain('whsec_short');
    },
  );
});
