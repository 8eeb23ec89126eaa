import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const LISTED_ORIGIN = 'http://localhost:5173';
const OTHER_LISTED_ORIGIN = 'https://app.example.com';
const UNLISTED_ORIGIN = 'https://evil.example.net';

/** What a browser sends before a cross-origin POST with a bearer token and a JSON body. */
const preflight = (server: TestServer, origin: string) =>
  fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

const queryFrom = (server: TestServer, origin: string) => server.post(JSON.stringify({ query: '{ me { id } }' }), { origin });

describe('CORS on /graphql with CORS_ORIGINS set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: `${LISTED_ORIGIN}, ${OTHER_LISTED_ORIGIN}` });
  });
  afterAll(() => server.close());

  it.each([LISTED_ORIGIN, OTHER_LISTED_ORIGIN])('allows the preflight of a POST with a bearer token from %s', async (origin) => {
    const response = await preflight(server, origin);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    // Tokens travel in a header, never in cookies: nothing ambient to share with another origin.
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets a listed origin read the answer of the request itself', async () => {
    const response = await queryFrom(server, LISTED_ORIGIN);

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED_ORIGIN);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin, on the preflight or the request', async () => {
    const refusedPreflight = await preflight(server, UNLISTED_ORIGIN);
    const refusedRequest = await queryFrom(server, UNLISTED_ORIGIN);

    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(refusedRequest.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS on /graphql by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('allows no other origin: same-origin only', async () => {
    const refusedPreflight = await preflight(server, LISTED_ORIGIN);
    const refusedRequest = await queryFrom(server, LISTED_ORIGIN);

    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(refusedRequest.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  const STRONG_SECRET = 'k3J9-wQz7_Lp2xV8mNc4RtY6uBe1HsD0fGa5';
  const load = (environment: Record<string, string>) => loadConfig({ JWT_SECRET: STRONG_SECRET, ...environment });

  it('is a list of exact origins, none by default', () => {
    expect(load({}).corsOrigins).toEqual([]);
    expect(load({ CORS_ORIGINS: ' https://a.example.com ,http://localhost:5173,' }).corsOrigins).toEqual([
      'https://a.example.com',
      'http://localhost:5173',
    ]);
  });

  it.each(['https://app.example.com/', 'https://app.example.com/path', 'https://App.example.com', 'https://app.example.com:443', 'app.example.com', 'ftp://app.example.com'])(
    'refuses %s, which no browser sends as an Origin',
    (origin) => {
      expect(() => load({ CORS_ORIGINS: origin })).toThrow(ConfigError);
      expect(() => load({ CORS_ORIGINS: origin })).toThrow('CORS_ORIGINS');
    },
  );

  it("accepts '*' outside production and refuses it in production", () => {
    expect(load({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(() => load({ CORS_ORIGINS: '*', NODE_ENV: 'production' })).toThrow(/CORS_ORIGINS: '\*' is refused in production/);
  });
});
