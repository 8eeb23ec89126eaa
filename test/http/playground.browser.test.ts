import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ConfigError } from '../../src/config/config-error';
import { locatePlaygroundAssets } from '../../src/http/playground-assets';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { signUp } from '../support/factories';
import type { GraphQLResponseBody } from '../support/graphql-client';
import { temporaryDirectory } from '../support/temporary-directories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INTROSPECTION = '{ __schema { queryType { name } } }';

const openPage = (server: TestServer) => fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });

/** The script URL the page itself names, so the test follows the page rather than a path it assumes. */
async function scriptUrl(server: TestServer): Promise<string> {
  const html = await (await openPage(server)).text();
  const src = /<script\s+src="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('the playground page names no script');
  return new URL(src, server.url).href;
}

interface CodeMirrorEditor {
  getOption(name: string): unknown;
  getValue(): string;
}

/** Runs in the page: CodeMirror 5 hangs its editor object on its element. */
function readResultPane(field: string): unknown {
  const { document } = globalThis as unknown as {
    document: { querySelectorAll(selector: string): ArrayLike<{ CodeMirror?: CodeMirrorEditor }> };
  };
  for (const element of Array.from(document.querySelectorAll('.CodeMirror'))) {
    const editor = element.CodeMirror;
    if (!editor?.getOption('readOnly')) continue;
    try {
      const response = JSON.parse(editor.getValue());
      if (response?.data?.[field] !== undefined || response?.errors) return response;
    } catch {
      // Still loading, or not a response yet.
    }
  }
  return null;
}

describe('GraphQL Playground outside production', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Replaces an editor's text the way a person pastes it (typing would fight the editor's bracket auto-closing). */
  async function typeInto(page: Page, editor: ReturnType<Page['locator']>, text: string): Promise<void> {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  /** The response in the result pane (the one read-only editor), once it holds one for `field`. */
  async function readResult<Data>(page: Page, field: string): Promise<GraphQLResponseBody<Data>> {
    const handle = await page.waitForFunction(readResultPane, field);
    return (await handle.jsonValue()) as GraphQLResponseBody<Data>;
  }

  it('logs in from the playground, then calls as that user with an Authorization header, all on its own origin', async () => {
    const user = await signUp(server);
    const page = await browser.newPage();
    const requestedUrls: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A Content-Security-Policy violation shows only as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const meRequests: Record<string, string>[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.postData()?.includes('me {')) meRequests.push(request.headers());
    });

    await page.goto(`${server.url}/graphql`);
    const operationEditor = page.locator('.graphiql-wrapper.active .CodeMirror').first();
    await operationEditor.waitFor();

    await typeInto(
      page,
      operationEditor,
      `mutation { login(input: { email: ${JSON.stringify(user.email)}, password: ${JSON.stringify(user.password)} }) {
        __typename ... on AuthPayload { accessToken role user { email } } } }`,
    );
    await page.keyboard.press('Control+Enter');
    const login = await readResult<{ login: { __typename: string; accessToken?: string; role?: string; user?: { email: string } } }>(page, 'login');
    expect(login.errors).toBeUndefined();
    expect(login.data!.login).toMatchObject({ __typename: 'AuthPayload', user: { email: user.email } });
    const accessToken = login.data!.login.accessToken!;
    expect(accessToken).toMatch(/^eyJ/);
    await saveScreenshot(page, 'playground-login');

    await page.getByText('HTTP Headers', { exact: true }).click();
    const headersEditor = page.locator('.graphiql-wrapper.active .CodeMirror').nth(1);
    await typeInto(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${accessToken}` }));
    await typeInto(page, operationEditor, '{ me { email } }');
    await page.keyboard.press('Control+Enter');
    const me = await readResult(page, 'me');
    expect(me).toEqual({ data: { me: { email: user.email } } });
    expect(meRequests.at(-1)?.authorization).toBe(`Bearer ${accessToken}`);

    await saveScreenshot(page, 'playground-me-with-authorization-header');
    expect(pageErrors).toEqual([]);
    // Offline by construction: the page, its bundle, the schema and the operations all come from here.
    expect(requestedUrls.length).toBeGreaterThan(3);
    expect(requestedUrls.filter((url) => new URL(url).origin !== server.url)).toEqual([]);
    await page.close();
  });

  it('serves the page to browsers, own-origin only by its Content-Security-Policy', async () => {
    const response = await openPage(server);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('GraphQLPlayground.init');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);

    // Every client that is not a browser still gets GraphQL, with its no-store header.
    const api = await server.graphql('{ __typename }');
    expect(api.data).toEqual({ __typename: 'Query' });
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the bundle as JavaScript, cached for good under a versioned URL, and nothing else of the package', async () => {
    const url = await scriptUrl(server);
    expect(url).toMatch(/\/playground\/graphql-playground-react@\d+\.\d+\.\d+\/build\/static\/js\/middleware\.js$/);
    const script = await fetch(url);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await script.text()).length).toBeGreaterThan(100_000);

    for (const other of [`${url}.map`, url.replace('middleware.js', 'index.js'), url.replace(/build\/.*$/, 'package.json')]) {
      expect((await fetch(other)).status).toBe(404);
    }
  });
});

describe('GraphQL Playground in production', () => {
  it('is off by default: a browser gets the JSON answer of any GET without a query, and introspection is refused', async () => {
    const server = await startTestServer({ NODE_ENV: 'production' });
    try {
      const response = await openPage(server);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
      const { version } = locatePlaygroundAssets();
      expect((await fetch(`${server.url}/playground/graphql-playground-react@${version}/build/static/js/middleware.js`)).status).toBe(404);

      const introspection = await server.graphql(INTROSPECTION);
      expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await server.close();
    }
  });

  it('can be turned on with PLAYGROUND_ENABLED=true, which turns introspection on too', async () => {
    const server = await startTestServer({ NODE_ENV: 'production', PLAYGROUND_ENABLED: 'true' });
    try {
      const response = await openPage(server);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('GraphQLPlayground.init');
      expect((await fetch(await scriptUrl(server))).status).toBe(200);

      const introspection = await server.graphql(INTROSPECTION);
      expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await server.close();
    }
  });
});

describe('locatePlaygroundAssets', () => {
  it('refuses to start, naming PLAYGROUND_ENABLED, when graphql-playground-react is not installed', () => {
    const notInstalled = () => {
      throw Object.assign(new Error("Cannot find module 'graphql-playground-react/package.json'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => locatePlaygroundAssets(notInstalled)).toThrow(ConfigError);
    expect(() => locatePlaygroundAssets(notInstalled)).toThrow(/PLAYGROUND_ENABLED.*not installed/s);
  });

  it('refuses to start when the package is there without its build/ folder (a production install that copied only package.json)', () => {
    const packageRoot = temporaryDirectory('playground-package');
    const packageJson = path.join(packageRoot, 'package.json');
    writeFileSync(packageJson, JSON.stringify({ name: 'graphql-playground-react', version: '1.7.28' }));
    expect(() => locatePlaygroundAssets(() => packageJson)).toThrow(/PLAYGROUND_ENABLED.*build.*missing/s);
  });

  it('finds every file the page loads in the installed package', () => {
    const assets = locatePlaygroundAssets();
    expect([...assets.byUrlPath.keys()].sort()).toEqual(
      ['build/favicon.png', 'build/static/css/index.css', 'build/static/js/middleware.js'].map(
        (file) => `/graphql-playground-react@${assets.version}/${file}`,
      ),
    );
  });
});
