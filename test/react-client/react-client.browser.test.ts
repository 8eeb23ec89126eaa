import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { ACCEPT_INVITATION, INVITE_MEMBER, LOGOUT, REFRESH, SIGN_UP } from '../support/documents';
import { loginFrom, signUp, strongPassword, uniqueEmail } from '../support/factories';
import type { SignedUpUser } from '../support/factories';
import { mailedLink, mailedToken } from '../support/outbox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { recordGraphQLTraffic } from './graphql-traffic';
import type { GraphQLExchange, GraphQLTraffic } from './graphql-traffic';
import { serveStaticSite } from './static-site';
import type { StaticSite } from './static-site';

/** Bounds for a 2-core CI machine: a cold Vite build and Chromium start are the slow parts. */
const SETUP_TIMEOUT_MILLISECONDS = 90_000;
const JOURNEY_TIMEOUT_MILLISECONDS = 60_000;
const PAGE_TIMEOUT_MILLISECONDS = 10_000;

/** Builds examples/react-client into `outDir` with Vite's JS API (in a child process, see the script). */
async function buildReactClient(outDir: string, graphqlUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(__dirname, 'build-react-client.mjs'), outDir], {
    env: { ...process.env, VITE_GRAPHQL_URL: graphqlUrl },
  });
}

/**
 * `member` joins `owner`'s account, so they have two accounts and login asks which one: `owner` invites
 * them, and they accept from another device (through the API), which then signs out everywhere (the
 * page is signed out at this point of the journey, and its end checks no session is left).
 */
async function addToAccountOf(server: TestServer, owner: SignedUpUser, member: { email: string; password: string }): Promise<void> {
  const invited = await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email: member.email, role: 'member' } }, { token: owner.accessToken });
  expect(invited.errors).toBeUndefined();
  const elsewhere = await loginFrom(server, member);
  const accepted = await server.graphql(ACCEPT_INVITATION, { token: await mailedToken(server, member.email, 'accept-invitation') }, { token: elsewhere.accessToken });
  expect(accepted.errors).toBeUndefined();
  const signedOut = await server.graphql(LOGOUT, { input: { allSessions: true } }, { token: accepted.data!.acceptInvitation.accessToken });
  expect(signedOut.errors).toBeUndefined();
}

/** `owner` invites `email` to their account with `role`; the link mailed for it, as the person receives it. */
async function invitationLink(server: TestServer, owner: SignedUpUser, email: string, role: string): Promise<string> {
  const invited = await server.graphql(INVITE_MEMBER, { input: { accountId: owner.accountId, email, role } }, { token: owner.accessToken });
  expect(invited.errors).toBeUndefined();
  return mailedLink(server, email, 'accept-invitation');
}

const operationsNamed = (exchanges: readonly GraphQLExchange[], name: string) => exchanges.filter((exchange) => exchange.operationName === name);
const VIEWER_QUERIES = ['Me', 'CurrentSession', 'MySessions'];
const isExpiredEverywhere = (exchanges: readonly GraphQLExchange[]) =>
  VIEWER_QUERIES.every((name) => operationsNamed(exchanges, name).some((exchange) => exchange.errorReasons.includes('TOKEN_EXPIRED')));

/** Time for the page's script to take in answers the browser has received. */
const PAGE_SETTLE_MILLISECONDS = 250;

/**
 * Holds the page's refreshToken request (it still reaches the real server, later) until every viewer
 * query has come back TOKEN_EXPIRED, so those failures meet a refresh still in flight: the case where
 * a client without a shared refresh would send one per failed query.
 */
async function holdRefreshUntilAllExpired(page: Page, endpoint: string, traffic: GraphQLTraffic): Promise<void> {
  await page.route(endpoint, async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && (request.postDataJSON() as { operationName?: string }).operationName === 'RefreshToken') {
      await traffic.waitFor(isExpiredEverywhere);
      await new Promise((resolve) => setTimeout(resolve, PAGE_SETTLE_MILLISECONDS));
    }
    await route.continue();
  });
}

let api: TestServer;
let site: StaticSite;
let browser: Browser;
let buildDir: string;

beforeAll(async () => {
  buildDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-react-client-'));
  site = await serveStaticSite(buildDir);
  // The app is on another origin than the API, so this also proves CORS; mailed links point at the app.
  api = await startTestServer({ CORS_ORIGINS: site.origin, PUBLIC_URL: site.origin });
  [, browser] = await Promise.all([buildReactClient(buildDir, `${api.url}/graphql`), launchBrowser()]);
}, SETUP_TIMEOUT_MILLISECONDS);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
  rmSync(buildDir, { recursive: true, force: true });
});

describe('the React/Apollo example client, in Chromium against the real API', () => {
  let page: Page;
  let traffic: GraphQLTraffic;
  let pageErrors: Error[];

  beforeEach(async () => {
    pageErrors = [];
    page = await browser.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MILLISECONDS);
    page.on('pageerror', (error) => pageErrors.push(error));
    traffic = recordGraphQLTraffic(page, `${api.url}/graphql`);
  });
  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  const text = (testId: string) => page.getByTestId(testId).textContent();
  const expireAccessTokens = () => api.clock.advance(api.config.tokens.accessTokenTtlSeconds + api.config.tokens.clockToleranceSeconds + 1);
  // An expression, not a function: the tests compile without the DOM's types.
  const storedRefreshToken = () => page.evaluate<string | null>("window.sessionStorage.getItem('gatehouse.refreshToken')");

  /** A one-account user logs in through the UI and sees their page. */
  async function logInThroughUi(user: SignedUpUser): Promise<void> {
    await page.goto(site.origin);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('me-email').getByText(user.email).waitFor();
    // The home page's other queries may still be in flight: let them answer, so that what a test
    // records after this is only what it caused.
    await traffic.waitFor((exchanges) => VIEWER_QUERIES.every((name) => operationsNamed(exchanges, name).length > 0));
    await traffic.waitForQuiet();
  }

  /**
   * The tab's sessionEvents socket reaches no server (as behind a proxy that refuses WebSocket upgrades),
   * so what the test sees is what the HTTP answers alone make the client do: with the socket, the push
   * would show the login screen first.
   */
  const blockSessionEventsSocket = () => page.routeWebSocket(/\/graphql$/, () => undefined);

  /** Ends the page's session on the server, as a logout in another tab would. */
  async function revokeThePageSession(): Promise<void> {
    const response = await api.graphql(LOGOUT, { input: { refreshToken: await storedRefreshToken() } });
    expect(response.data?.logout).toBe(true);
  }

  it(
    'signs up, verifies the email from the mailed link, logs in choosing an account, survives an expired access token with one refresh, switches account and logs out',
    async () => {
      const email = uniqueEmail('react');
      const password = strongPassword();

      // Sign up through the UI: signed in at once, email unverified.
      await page.goto(site.origin);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Account name (optional)').fill('Own Studio');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('region', { name: 'Verify your email' }).waitFor();
      expect(await text('me-email-verified')).toBe('no');
      expect(await text('current-role')).toBe('guest');

      // The mailed link opens the app's verify-email page, which verifies and refreshes to the new role.
      const link = await mailedLink(api, email, 'verify-email');
      expect(link.startsWith(`${site.origin}/verify-email?token=`)).toBe(true);
      await page.goto(link);
      await page.getByText(`Your email address ${email} is verified.`).waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByTestId('current-role').getByText('owner').waitFor();
      expect(await text('me-email-verified')).toBe('yes');
      const user = await api.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(user.emailVerifiedAt).toBeInstanceOf(Date);

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('form', { name: 'Log in' }).waitFor();

      // A second account: login now asks which one (AccountSelectionRequired → selectAccount).
      const owner = await signUp(api, { accountName: 'Shared Workshop' });
      await addToAccountOf(api, owner, { email, password });
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      const picker = page.getByRole('region', { name: 'Choose an account' });
      await picker.getByRole('button', { name: 'Own Studio' }).waitFor();
      await picker.getByRole('button', { name: 'Shared Workshop' }).click();
      await page.getByTestId('current-account').getByText('Shared Workshop').waitFor();
      expect(await text('me-email')).toBe(email);
      expect(await text('current-role')).toBe('member');
      await page.getByRole('region', { name: 'My sessions' }).getByText('this one').waitFor();

      // The access token expires (the server's clock moves past its lifetime); the page then fires its
      // three queries at once, all refused with TOKEN_EXPIRED: one refresh, then each is sent again.
      traffic.clear();
      await holdRefreshUntilAllExpired(page, `${api.url}/graphql`, traffic);
      expireAccessTokens();
      await page.getByRole('button', { name: 'Reload' }).click();
      await traffic.waitFor((exchanges) =>
        VIEWER_QUERIES.every((name) => operationsNamed(exchanges, name).some((exchange) => exchange.errorReasons.length === 0)),
      );
      await page.unroute(`${api.url}/graphql`);
      const refreshes = operationsNamed(traffic.exchanges, 'RefreshToken');
      expect(refreshes).toHaveLength(1);
      expect(refreshes[0]!.errorReasons).toEqual([]);
      for (const name of VIEWER_QUERIES) {
        const [expired, retried, ...more] = operationsNamed(traffic.exchanges, name);
        expect({ name, reasons: expired?.errorReasons }).toEqual({ name, reasons: ['TOKEN_EXPIRED'] });
        expect({ name, reasons: retried?.errorReasons }).toEqual({ name, reasons: [] });
        expect(retried!.authorization).not.toBe(expired!.authorization);
        expect(more).toEqual([]);
      }
      expect(await text('me-email')).toBe(email);
      expect(await text('current-account')).toBe('Shared Workshop');

      // switchAccount: a new session in the other account.
      await page.getByRole('button', { name: 'Switch to Own Studio' }).click();
      await page.getByTestId('current-account').getByText('Own Studio').waitFor();
      expect(await text('current-role')).toBe('owner');
      await saveScreenshot(page, 'react-client-signed-in');

      // Log out: the session ends on the server, not only in the page.
      traffic.clear();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('form', { name: 'Log in' }).waitFor();
      await traffic.waitFor((exchanges) => operationsNamed(exchanges, 'Logout').length === 1);
      const [logout] = operationsNamed(traffic.exchanges, 'Logout');
      const lastAccessToken = logout!.authorization!.replace(/^Bearer /, '');
      const afterLogout = await api.graphql('{ me { id } }', {}, { token: lastAccessToken });
      expect(afterLogout.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
      expect(await api.prisma.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
      expect(await storedRefreshToken()).toBeNull();
    },
    JOURNEY_TIMEOUT_MILLISECONDS,
  );

  it('returns to the login screen when the refresh after an expired access token is refused', async () => {
    const user = await signUp(api);
    await blockSessionEventsSocket();
    await logInThroughUi(user);
    await revokeThePageSession();
    traffic.clear();

    expireAccessTokens();
    await page.getByRole('button', { name: 'Reload' }).click();

    await page.getByRole('form', { name: 'Log in' }).waitFor();
    await traffic.waitFor((exchanges) => operationsNamed(exchanges, 'RefreshToken').length > 0);
    const refreshes = operationsNamed(traffic.exchanges, 'RefreshToken');
    expect(refreshes.map((exchange) => exchange.errorReasons)).toEqual([['SESSION_REVOKED']]);
    expect(await storedRefreshToken()).toBeNull();
  });

  it('returns to the login screen, without trying to refresh, when the API says the session was revoked', async () => {
    const user = await signUp(api);
    await blockSessionEventsSocket();
    await logInThroughUi(user);
    await revokeThePageSession();
    traffic.clear();

    await page.getByRole('button', { name: 'Reload' }).click();

    await page.getByRole('form', { name: 'Log in' }).waitFor();
    // The page's queries go out together; the first SESSION_REVOKED empties the store, and the client
    // may drop the others before their answers arrive. Whatever came back for the revoked token says
    // SESSION_REVOKED (the login page may then ask its own questions without a token).
    const withRevokedToken = (exchanges: readonly GraphQLExchange[]) => exchanges.filter((exchange) => exchange.authorization !== null);
    await traffic.waitFor((exchanges) => withRevokedToken(exchanges).length > 0);
    expect(withRevokedToken(traffic.exchanges).map((exchange) => exchange.errorReasons)).toEqual(
      withRevokedToken(traffic.exchanges).map(() => ['SESSION_REVOKED']),
    );
    expect(operationsNamed(traffic.exchanges, 'RefreshToken')).toEqual([]);
    expect(await storedRefreshToken()).toBeNull();
  });

  it(
    'opens the mailed invitation link, shows the account and role, refuses another address, and signs the invited person up into the inviting account',
    async () => {
      const owner = await signUp(api, { accountName: 'Invite Studio' });
      const email = uniqueEmail('invitee');
      const interloper = uniqueEmail('interloper');
      const password = strongPassword();
      const link = await invitationLink(api, owner, email, 'admin');
      expect(link.startsWith(`${site.origin}/accept-invitation?token=ghi_`)).toBe(true);

      await page.goto(link);
      await page.getByTestId('invitation-account').getByText('Invite Studio').waitFor();
      expect(await text('invitation-role')).toBe('admin');

      // The link is for the invited address only: signing up with another creates nobody.
      await page.getByLabel('Email').fill(interloper);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign up and join' }).click();
      await page.getByRole('alert').getByText('INVITATION_EMAIL_MISMATCH').waitFor();
      expect(await api.prisma.user.count({ where: { email: interloper } })).toBe(0);

      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Sign up and join' }).click();
      await page.getByTestId('current-account').getByText('Invite Studio').waitFor();
      expect(await text('current-role')).toBe('admin');
      expect(await text('me-email')).toBe(email);
      // The link proved the address: no verification mail to wait for.
      expect(await text('me-email-verified')).toBe('yes');
      // The spent link has left the address bar.
      expect(new URL(page.url()).pathname).toBe('/');
      const user = await api.prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
      expect(user.memberships.map(({ accountId, roleName }) => ({ accountId, roleName }))).toEqual([{ accountId: owner.accountId, roleName: 'admin' }]);
      const invitation = await api.prisma.invitation.findFirstOrThrow({ where: { accountId: owner.accountId, email } });
      expect(invitation.acceptedAt).toBeInstanceOf(Date);
    },
    JOURNEY_TIMEOUT_MILLISECONDS,
  );

  it('shows why an invitation that expired while its page was open is refused, without trying to refresh a session it does not have', async () => {
    const owner = await signUp(api, { accountName: 'Slow Studio' });
    const email = uniqueEmail('late');
    await page.goto(await invitationLink(api, owner, email, 'member'));
    await page.getByTestId('invitation-account').getByText('Slow Studio').waitFor();
    traffic.clear();

    api.clock.advance(api.config.invitations.ttlSeconds + 1);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(strongPassword());
    await page.getByRole('button', { name: 'Sign up and join' }).click();

    await page.getByRole('alert').getByText('TOKEN_EXPIRED').waitFor();
    // The page can show the answer before the recorder has read the response it came in.
    await traffic.waitFor((exchanges) => operationsNamed(exchanges, 'SignUp').length === 1);
    expect(operationsNamed(traffic.exchanges, 'SignUp').map((exchange) => exchange.errorReasons)).toEqual([['TOKEN_EXPIRED']]);
    expect(operationsNamed(traffic.exchanges, 'RefreshToken')).toEqual([]);
    expect(await api.prisma.user.count({ where: { email } })).toBe(0);
    expect(await storedRefreshToken()).toBeNull();
  });

  it('lets an existing user log in from the mailed link and accept: the tab moves to the inviting account and ends the session it leaves', async () => {
    const owner = await signUp(api, { accountName: 'Partner Agency' });
    const user = await signUp(api, { accountName: 'Solo Shop' });
    await page.goto(await invitationLink(api, owner, user.email, 'member'));
    await page.getByRole('button', { name: 'Log in to accept' }).click();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();

    await page.getByTestId('invitation-viewer').getByText(user.email).waitFor();
    await traffic.waitForQuiet();
    const leftBehind = await storedRefreshToken();
    traffic.clear();
    await page.getByRole('button', { name: 'Accept invitation' }).click();

    await page.getByTestId('current-account').getByText('Partner Agency').waitFor();
    expect(await text('current-role')).toBe('member');
    await page.getByRole('button', { name: 'Switch to Solo Shop' }).waitFor();
    // Ended by its refresh token, sent without the new session's access token (which logout would end too).
    await traffic.waitFor((exchanges) => operationsNamed(exchanges, 'EndSession').length === 1);
    expect(operationsNamed(traffic.exchanges, 'EndSession')[0]).toMatchObject({ authorization: null, errorReasons: [] });
    const refreshLeftBehind = await api.graphql(REFRESH, { input: { refreshToken: leftBehind } });
    expect(refreshLeftBehind.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(await storedRefreshToken()).not.toBe(leftBehind);
    expect(await api.prisma.membership.findUnique({ where: { userId_accountId: { userId: user.userId, accountId: owner.accountId } } })).toMatchObject({ roleName: 'member' });
  });

  it('refuses to let a signed-in user whose address was not invited join, and lets them log out there and sign up with the invited address', async () => {
    const owner = await signUp(api, { accountName: 'Guarded Guild' });
    const stranger = await signUp(api, { accountName: 'Elsewhere' });
    await logInThroughUi(stranger);
    const email = uniqueEmail('invited');
    await page.goto(await invitationLink(api, owner, email, 'member'));
    await page.getByTestId('invitation-viewer').getByText(stranger.email).waitFor();

    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('alert').getByText('INVITATION_EMAIL_MISMATCH').waitFor();
    expect(await api.prisma.membership.count({ where: { userId: stranger.userId, accountId: owner.accountId } })).toBe(0);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(strongPassword());
    await page.getByRole('button', { name: 'Sign up and join' }).click();
    await page.getByTestId('current-account').getByText('Guarded Guild').waitFor();
    expect(await text('me-email')).toBe(email);
  });

  it('says a link that is not a genuine invitation is not valid, and offers nothing to do with it', async () => {
    await page.goto(`${site.origin}/accept-invitation?token=ghi_00000000-0000-4000-8000-000000000000.${'x'.repeat(43)}`);
    await page.getByRole('alert').getByText('not valid').waitFor();
    expect(await page.getByRole('button', { name: 'Sign up and join' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Decline' }).count()).toBe(0);
  });

  it('declines from the mailed link without signing in, and then offers nothing more', async () => {
    const owner = await signUp(api, { accountName: 'Unwanted Ltd' });
    const email = uniqueEmail('declines');
    await page.goto(await invitationLink(api, owner, email, 'member'));
    await page.getByTestId('invitation-account').getByText('Unwanted Ltd').waitFor();

    await page.getByRole('button', { name: 'Decline' }).click();

    await page.getByTestId('invitation-status').getByText('declined').waitFor();
    expect(await page.getByRole('button', { name: 'Sign up and join' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Decline' }).count()).toBe(0);
    const invitation = await api.prisma.invitation.findFirstOrThrow({ where: { accountId: owner.accountId, email } });
    expect(invitation.declinedAt).toBeInstanceOf(Date);
  });

  it('creates an account from the account switcher: the tab lands in it as its owner, and the access token of the session it left is refused', async () => {
    const user = await signUp(api, { accountName: 'First Firm' });
    await logInThroughUi(user);
    traffic.clear();

    await page.getByLabel('New account name').fill('Second Venture');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByTestId('current-account').getByText('Second Venture').waitFor();
    expect(await text('current-role')).toBe('owner');
    await page.getByRole('button', { name: 'Switch to First Firm' }).waitFor();
    await traffic.waitFor((exchanges) => operationsNamed(exchanges, 'CreateAccount').length === 1);
    const [created] = operationsNamed(traffic.exchanges, 'CreateAccount');
    expect(created!.errorReasons).toEqual([]);
    const previousAccessToken = created!.authorization!.replace(/^Bearer /, '');
    const withPreviousToken = await api.graphql('{ me { id } }', {}, { token: previousAccessToken });
    expect(withPreviousToken.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    const account = await api.prisma.account.findFirstOrThrow({ where: { name: 'Second Venture', memberships: { some: { userId: user.userId } } }, include: { memberships: true } });
    expect(account.memberships.map(({ userId, roleName }) => ({ userId, roleName }))).toEqual([{ userId: user.userId, roleName: 'owner' }]);
  });

  it('offers a user who belongs to no account any more to start one at login, with the selection token, and signs them in there as owner', async () => {
    // Signed up by invitation (no account of their own), then left that account: no account at all.
    const owner = await signUp(api, { accountName: 'Short Stay' });
    const email = uniqueEmail('leaver');
    const password = strongPassword();
    await invitationLink(api, owner, email, 'member');
    const joined = await api.graphql(SIGN_UP, { input: { email, password, inviteToken: await mailedToken(api, email, 'accept-invitation') } });
    expect(joined.errors).toBeUndefined();
    const left = await api.graphql('mutation Leave($accountId: ID!) { leaveAccount(accountId: $accountId) }', { accountId: owner.accountId }, { token: joined.data!.signUp.accessToken });
    expect(left.errors).toBeUndefined();

    await page.goto(site.origin);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('region', { name: 'Start an account' }).getByLabel('New account name').fill('Fresh Start');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByTestId('current-account').getByText('Fresh Start').waitFor();
    expect(await text('current-role')).toBe('owner');
    expect(await text('me-email')).toBe(email);
  });
});

describe('the React/Apollo example client, two browsers of one user', () => {
  // Two browser contexts share nothing (the refresh token lives in each tab's sessionStorage), so each
  // logs in on its own and holds its own session. Logging out of one session leaves the other working by
  // design; "logging out in one shows the other logged out" is the user choosing "Sign out everywhere" (logout with allSessions).
  it('"Sign out everywhere" in one browser shows the other, a separate login of the same user, logged out within 2 s: pushed over its sessionEvents socket, without a request of its own', async () => {
    const user = await signUp(api);
    const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
    try {
      const [acting, watching] = await Promise.all(contexts.map((context) => context.newPage()));
      // The watching tab's socket is up once the server acknowledged its connection_init.
      const acknowledged = new Promise<void>((resolve) => {
        watching.on('websocket', (socket) => {
          socket.on('framereceived', (frame) => {
            if (String(frame.payload).includes('connection_ack')) resolve();
          });
        });
      });
      for (const page of [acting, watching]) {
        page.setDefaultTimeout(PAGE_TIMEOUT_MILLISECONDS);
        await page.goto(site.origin);
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByTestId('me-email').getByText(user.email).waitFor();
      }
      await acknowledged;
      // Only what follows the click counts: the page's own first queries (its session list among them) must
      // be answered first, or an answer still on its way would read as a request the logout caused.
      await watching.getByRole('region', { name: 'My sessions' }).getByText('this one').waitFor();
      const watchingTraffic = recordGraphQLTraffic(watching, `${api.url}/graphql`);
      await watchingTraffic.waitForQuiet();
      watchingTraffic.clear();

      await acting.getByRole('button', { name: 'Sign out everywhere' }).click();
      const clicked = performance.now();
      await acting.getByRole('button', { name: 'Log in' }).waitFor();
      await watching.getByRole('button', { name: 'Log in' }).waitFor({ timeout: 2_000 });

      expect(performance.now() - clicked).toBeLessThan(2_000);
      expect(await watching.evaluate<string | null>("window.sessionStorage.getItem('gatehouse.refreshToken')")).toBeNull();
      expect(watchingTraffic.exchanges).toEqual([]);
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  }, JOURNEY_TIMEOUT_MILLISECONDS);
});
