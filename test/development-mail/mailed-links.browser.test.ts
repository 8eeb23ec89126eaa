import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { INVITE_MEMBER, LOGIN, REQUEST_RESET } from '../support/documents';
import { signUp, strongPassword, uniqueEmail } from '../support/factories';
import { mailedLink } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/**
 * A development server with nothing configured, in headless Chromium, following the links it mails
 * exactly as mailed: to the default PUBLIC_URL, http://localhost:4000. The test server listens on a
 * port of its own, so the browser's requests to that origin are answered by it (the page keeps the
 * mailed origin, and its own requests go there too).
 */
describe('mailed links in development, followed in a browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ NODE_ENV: 'development' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * A new tab that follows links to the default PUBLIC_URL into the test server. `finish` checks the page
   * ran clean (no script error, no Content-Security-Policy violation, no request beyond that origin),
   * leaves a screenshot when named, and closes the tab.
   */
  async function openPage(): Promise<{ page: Page; finish(screenshot?: string): Promise<void> }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // A Content-Security-Policy violation shows only as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== server.config.publicUrl) problems.push(`request to ${request.url()}`);
    });
    await page.route(`${server.config.publicUrl}/**`, async (route) => {
      const { pathname, search } = new URL(route.request().url());
      await route.fulfill({ response: await route.fetch({ url: `${server.url}${pathname}${search}` }) });
    });
    return {
      page,
      async finish(screenshot) {
        if (screenshot) await saveScreenshot(page, screenshot);
        expect(problems).toEqual([]);
        await page.close();
      },
    };
  }

  /** The page's outcome once its script reports one: done or failed, and what it says. */
  async function outcomeOf(page: Page): Promise<{ outcome: string | null; text: string }> {
    const status = page.locator('#status[data-outcome]');
    await status.waitFor();
    return { outcome: await status.getAttribute('data-outcome'), text: await status.innerText() };
  }

  it('verifies the email address from the mailed link', async () => {
    const user = await signUp(server, { unverified: true });
    const link = await mailedLink(server, user.email, 'verify-email');
    expect(link.startsWith(`${server.config.publicUrl}/verify-email?token=`)).toBe(true);
    const { page, finish } = await openPage();

    expect((await page.goto(link))?.status()).toBe(200);

    expect(await outcomeOf(page)).toEqual({ outcome: 'done', text: `Your email address ${user.email} is verified.` });
    expect((await server.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).emailVerifiedAt).not.toBeNull();
    // The spent token is gone from the address bar, and so from the history.
    expect(page.url()).toBe(`${server.config.publicUrl}/verify-email`);
    await finish('development-verify-email');
  });

  it('sets a new password from the mailed reset link, and the new password logs in', async () => {
    const user = await signUp(server);
    await server.graphql(REQUEST_RESET, { email: user.email });
    const link = await mailedLink(server, user.email, 'reset-password');
    const newPassword = strongPassword();
    const { page, finish } = await openPage();

    expect((await page.goto(link))?.status()).toBe(200);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();

    expect((await outcomeOf(page)).outcome).toBe('done');
    const withNew = await server.graphql(LOGIN, { input: { email: user.email, password: newPassword } });
    expect(withNew.errors).toBeUndefined();
    expect(withNew.data!.login.__typename).toBe('AuthPayload');
    const withOld = await server.graphql(LOGIN, { input: { email: user.email, password: user.password } });
    expect(withOld.errors?.[0]?.extensions?.reason).toBe('INVALID_CREDENTIALS');
    await finish('development-reset-password');
  });

  it('shows the invitation’s token with how to accept it, and declines it', async () => {
    const owner = await signUp(server);
    const email = uniqueEmail('invited');
    const invited = await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email, role: 'member' } }, { token: owner.accessToken });
    expect(invited.errors).toBeUndefined();
    const link = await mailedLink(server, email, 'accept-invitation');
    const { page, finish } = await openPage();

    expect((await page.goto(link))?.status()).toBe(200);
    const token = new URL(link).searchParams.get('token')!;
    expect(await page.locator('#accept-mutation').innerText()).toContain(`acceptInvitation(token: ${JSON.stringify(token)})`);
    await page.getByRole('button', { name: 'Decline the invitation' }).click();

    expect((await outcomeOf(page)).outcome).toBe('done');
    const row = await server.prisma.invitation.findUniqueOrThrow({ where: { id: invited.data!.inviteMember.id } });
    expect(row.declinedAt).not.toBeNull();
    await finish('development-accept-invitation');
  });

  it('reports a link that no longer works as failed, with the server’s reason', async () => {
    const user = await signUp(server);
    const spent = await mailedLink(server, user.email, 'verify-email');
    const { page, finish } = await openPage();

    expect((await page.goto(spent))?.status()).toBe(200);

    const { outcome, text } = await outcomeOf(page);
    expect(outcome).toBe('failed');
    expect(text).not.toBe('');
    await finish();
  });
});
