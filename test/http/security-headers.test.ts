import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** What every response carries: a JSON API that nothing may frame, sniff, embed or render as a page. */
const API_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
};

function securityHeadersOf(response: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(API_HEADERS).map((name) => [name, response.headers.get(name)]));
}

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ GRAPHQL_BODY_LIMIT: '1kb' });
  });
  afterAll(() => server.close());

  const responses: [string, () => Promise<Response>][] = [
    ['a GraphQL answer', () => server.post(JSON.stringify({ query: '{ __typename }' }))],
    ['a GraphQL error (a refused field)', () => server.post(JSON.stringify({ query: '{ mySessions { id } }' }))],
    ['a validation failure (400)', () => server.post(JSON.stringify({ query: '{ nothingHere }' }))],
    ['malformed JSON (400)', () => server.post('{"query":')],
    ['an oversized body (413)', () => server.post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(2048)}` }))],
    ['/healthz', () => fetch(`${server.url}/healthz`)],
    ['/readyz', () => fetch(`${server.url}/readyz`)],
    ['the JWKS', () => fetch(`${server.url}/.well-known/jwks.json`)],
  ];

  it.each(responses)('are sent with %s', async (_case, send) => {
    const response = await send();
    expect(securityHeadersOf(response)).toEqual(API_HEADERS);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.status).toBeLessThan(500);
  });

  it("are sent with Express's own 404, which sets a policy of its own (default-src 'none')", async () => {
    const response = await fetch(`${server.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(securityHeadersOf(response)).toEqual({ ...API_HEADERS, 'content-security-policy': "default-src 'none'" });
  });

  it('include HSTS only on a request that arrived over HTTPS (a trusted proxy says so), without includeSubDomains', async () => {
    expect((await fetch(`${server.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    const behindTls = await server.post(JSON.stringify({ query: '{ __typename }' }), { 'x-forwarded-proto': 'https' });
    expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it("give GraphQL Playground's page its own policy, which lets it run from this origin and nothing else", async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'self'; script-src 'self' 'sha256-/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });
});
