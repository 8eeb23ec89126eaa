import http from 'node:http';
import { REQUEST_RESET } from '../support/documents';
import { signUp } from '../support/factories';
import { mailedLink, mailedToken } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { opaqueTokenParts } from '../support/tokens';

const LINK_PAGES = ['/verify-email', '/reset-password', '/accept-invitation'];
const SCRIPT_PATH = '/dev/link-pages.js';

interface OutboxListing {
  messages: { id: string; to: string; subject: string; links: string[]; createdAt: string }[];
}

/** GET with a Host header of our choosing (fetch will not send one), answered with the status only. */
function statusWithHost(server: TestServer, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      })
      .on('error', reject);
  });
}

describe('development mail, in development with nothing configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => server.close());

  it('logs each outbox message with its links, so the developer can open them from the log', async () => {
    const user = await signUp(server, { unverified: true });

    const link = await mailedLink(server, user.email, 'verify-email');

    expect(link.startsWith(`http://localhost:${server.config.port}/verify-email?token=ghv_`)).toBe(true);
    const line = server.logs.find((entry) => entry.includes(user.email) && entry.includes('outbox'));
    expect(line).toContain(link);
  });

  it('lists the newest mail at GET /dev/outbox, newest first, with recipient, subject, links and time', async () => {
    const user = await signUp(server, { unverified: true });
    await server.graphql(REQUEST_RESET, { email: user.email });
    const resetLink = await mailedLink(server, user.email, 'reset-password');
    const verifyLink = await mailedLink(server, user.email, 'verify-email');

    const response = await fetch(`${server.url}/dev/outbox?limit=2`);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { messages } = (await response.json()) as OutboxListing;
    expect(messages.map(({ to, subject, links }) => ({ to, subject, links }))).toEqual([
      { to: user.email, subject: 'Reset your password', links: [resetLink] },
      { to: user.email, subject: 'Confirm your email address', links: [verifyLink] },
    ]);
    expect(Date.parse(messages[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(messages[1]!.createdAt));
  });

  it('refuses the outbox to anyone not on this machine: a client behind a local proxy, or a page under another host name', async () => {
    const fromElsewhere = await fetch(`${server.url}/dev/outbox`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(fromElsewhere.status).toBe(403);
    await fromElsewhere.body?.cancel();
    // DNS rebinding: a site's own name pointed at 127.0.0.1, so its page's requests are same-origin.
    expect(await statusWithHost(server, '/dev/outbox', 'attacker.example:4000')).toBe(403);
    expect(await statusWithHost(server, '/dev/outbox', `localhost:${server.config.port}`)).toBe(200);
  });

  it.each(LINK_PAGES)('serves a page at %s that keeps its token out of caches and Referer headers, running only its own script', async (path) => {
    const response = await fetch(`${server.url}${path}?token=ghx_any.value`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain(`<script src="${SCRIPT_PATH}" defer></script>`);
    // The page is the same for every link: the script reads the token, the server never writes it into HTML.
    expect(html).not.toContain('ghx_any');
  });

  it('serves the pages’ script as JavaScript', async () => {
    const response = await fetch(`${server.url}${SCRIPT_PATH}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toContain('verifyEmail(token: $token)');
  });
});

describe('development mail, in development with part of it configured away', () => {
  it('serves no link pages when PUBLIC_URL names an app (the app has them), and still lists the outbox', async () => {
    const server = await startTestServer({ NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:5173' });
    try {
      for (const path of [...LINK_PAGES, SCRIPT_PATH]) expect((await fetch(`${server.url}${path}?token=ghv_x.y`)).status).toBe(404);
      expect((await fetch(`${server.url}/dev/outbox`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('has no outbox to list with SMTP_URL, and still serves the pages the default links lead to', async () => {
    const server = await startTestServer({ NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525' });
    try {
      expect((await fetch(`${server.url}/dev/outbox`)).status).toBe(404);
      for (const path of LINK_PAGES) expect((await fetch(`${server.url}${path}?token=ghv_x.y`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe.each(['test', 'production'])('development mail, with NODE_ENV=%s', (environment) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: environment });
  });
  afterAll(() => server.close());

  it('answers 404 for the outbox, the link pages and their script', async () => {
    for (const path of ['/dev/outbox', ...LINK_PAGES, SCRIPT_PATH]) {
      const response = await fetch(`${server.url}${path}?token=ghv_x.y`);
      expect(response.status).toBe(404);
      await response.body?.cancel();
    }
  });

  it('logs an outbox message by recipient and subject only, never its link', async () => {
    const user = await signUp(server, { unverified: true });

    const token = await mailedToken(server, user.email, 'verify-email');

    expect(server.logs.some((line) => line.includes(user.email) && line.includes('outbox'))).toBe(true);
    expect(server.logs.join('\n')).not.toContain(opaqueTokenParts(token).secret);
  });
});
