import { LOGIN, ME, SELECT_ACCOUNT } from '../support/documents';
import type { AuthPayload, TwoFactorRequired } from '../support/documents';
import { addMember, memberOfTwoAccounts, signUp } from '../support/factories';
import { presentRefreshToken } from '../support/presenting-tokens';
import { sessionCount } from '../support/rows';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { opaqueTokenParts, sessionIdOf } from '../support/tokens';
import {
  logInWithPassword,
  nextTotpCode,
  startTwoFactorLogin,
  totpCode,
  turnOnTwoFactor,
  verifyTwoFactor,
  wrongTotpCode,
} from '../support/two-factor';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('login with two-factor authentication on', () => {
  it('answers TwoFactorRequired with a short-lived ghc_ challenge, starting no session', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const sessionsBefore = await sessionCount(server, user.userId);

    const response = await logInWithPassword(server, user);

    expect(response.errors).toBeUndefined();
    const result = response.data!.login;
    expect(result.__typename).toBe('TwoFactorRequired');
    expect(result.challengeToken).toMatch(/^ghc_[0-9a-f-]{36}\.[\w-]{43}$/);
    const ttlMilliseconds = new Date(result.expiresAt!).getTime() - server.clock.now().getTime();
    expect(ttlMilliseconds).toBeGreaterThan((server.config.twoFactor.challengeTtlSeconds - 5) * 1000);
    expect(ttlMilliseconds).toBeLessThanOrEqual(server.config.twoFactor.challengeTtlSeconds * 1000);
    expect(await sessionCount(server, user.userId)).toBe(sessionsBefore);
    const { id, secret } = opaqueTokenParts(result.challengeToken!);
    const challenge = await server.prisma.loginChallenge.findUniqueOrThrow({ where: { id } });
    expect(challenge).toMatchObject({ userId: user.userId, accountId: user.accountId, consumedAt: null });
    expect(challenge.secretHash).not.toContain(secret);
  });

  it('completes the login with a current code: an AuthPayload whose tokens work', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);

    const response = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(response.errors).toBeUndefined();
    const payload = response.data!.verifyTwoFactor;
    expect(payload).toMatchObject({ __typename: 'AuthPayload', role: 'owner', user: { id: user.userId }, account: { id: user.accountId } });
    const me = await server.graphql(ME, {}, { token: payload.accessToken });
    expect(me.data!.me!.id).toBe(user.userId);
    const refreshed = await presentRefreshToken(server, payload.refreshToken!);
    expect(refreshed.errors).toBeUndefined();
  });

  it('refuses a wrong code with UNAUTHENTICATED INVALID_TWO_FACTOR_CODE, leaving the challenge for another try', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    server.clock.advance(30);
    const sessionsBefore = await sessionCount(server, user.userId);

    const wrong = await verifyTwoFactor(server, challengeToken, await wrongTotpCode(server, secret));
    const right = await verifyTwoFactor(server, challengeToken, await totpCode(server, secret));

    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
    expect(wrong.data).toBeNull();
    expect(right.data!.verifyTwoFactor.__typename).toBe('AuthPayload');
    expect(await sessionCount(server, user.userId)).toBe(sessionsBefore + 1);
    const failures = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'TWO_FACTOR_FAILED' } });
    expect(failures).toHaveLength(1);
  });

  it.each(['12345', '1234567', 'abcdef', ''])('refuses the malformed code %p the same way', async (code) => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);

    const response = await verifyTwoFactor(server, challengeToken, code);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
  });

  it('accepts a code once: the same code on a second login is refused as a replay', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const code = await nextTotpCode(server, secret);
    const first = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), code);
    const secondChallenge = await startTwoFactorLogin(server, user);

    const replay = await verifyTwoFactor(server, secondChallenge, code);

    expect(first.data!.verifyTwoFactor.__typename).toBe('AuthPayload');
    expect(replay.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
    // The next step's code still works on the same challenge: a refused replay spends nothing.
    const next = await verifyTwoFactor(server, secondChallenge, await nextTotpCode(server, secret));
    expect(next.data!.verifyTwoFactor.__typename).toBe('AuthPayload');
  });

  it('refuses an older step after a newer one was accepted', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    server.clock.advance(30);
    const older = await totpCode(server, secret);
    const newer = await totpCode(server, secret, 30);
    await verifyTwoFactor(server, await startTwoFactorLogin(server, user), newer);

    const response = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), older);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
  });

  it('lets only one of two concurrent logins with the same code through', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challenges = [await startTwoFactorLogin(server, user), await startTwoFactorLogin(server, user)];
    const code = await nextTotpCode(server, secret);
    const sessionsBefore = await sessionCount(server, user.userId);

    const results = await Promise.all(challenges.map((challengeToken) => verifyTwoFactor(server, challengeToken, code)));

    const outcomes = results.map((result) => result.errors?.[0]?.extensions?.reason ?? result.data!.verifyTwoFactor.__typename).sort();
    expect(outcomes).toEqual(['AuthPayload', 'INVALID_TWO_FACTOR_CODE']);
    expect(await sessionCount(server, user.userId)).toBe(sessionsBefore + 1);
  });

  it('lets only one of two concurrent verifications of one challenge through', async () => {
    const user = await signUp(server);
    const { secret, recoveryCodes } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    const code = await nextTotpCode(server, secret);

    const results = await Promise.all([verifyTwoFactor(server, challengeToken, code), verifyTwoFactor(server, challengeToken, recoveryCodes[0]!)]);

    const succeeded = results.filter((result) => result.data?.verifyTwoFactor?.__typename === 'AuthPayload');
    expect(succeeded).toHaveLength(1);
    expect(results.find((result) => result.errors)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Whichever lost, nothing of it stayed spent.
    const usedRecoveryCodes = await server.prisma.recoveryCode.count({ where: { userId: user.userId, usedAt: { not: null } } });
    expect(usedRecoveryCodes).toBe(succeeded[0] === results[1] ? 1 : 0);
  });
});

describe('recovery codes', () => {
  it('complete a login once and only once, however they are typed', async () => {
    const user = await signUp(server);
    const { recoveryCodes } = await turnOnTwoFactor(server, user);
    const code = recoveryCodes[0]!;

    const first = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), ` ${code.toLowerCase().replace('-', ' ')} `);
    const again = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), code);

    expect(first.errors).toBeUndefined();
    expect(first.data!.verifyTwoFactor.__typename).toBe('AuthPayload');
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
    const used = await server.prisma.recoveryCode.findMany({ where: { userId: user.userId, usedAt: { not: null } } });
    expect(used).toHaveLength(1);
    const events = await server.prisma.authEvent.findMany({ where: { userId: user.userId, type: 'RECOVERY_CODE_USED' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toEqual({ remaining: 9 });
  });

  it('are refused when made up', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);

    const response = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), 'AAAAA-AAAAA');

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
  });

  it("of one user do not work for another's login", async () => {
    const alice = await signUp(server);
    const bob = await signUp(server);
    const { recoveryCodes } = await turnOnTwoFactor(server, alice);
    await turnOnTwoFactor(server, bob);

    const response = await verifyTwoFactor(server, await startTwoFactorLogin(server, bob), recoveryCodes[0]!);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TWO_FACTOR_CODE' });
  });
});

describe('challenge tokens', () => {
  it('expire: TOKEN_EXPIRED after the configured lifetime, even with a good code', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    server.clock.advance(server.config.twoFactor.challengeTtlSeconds + 1);

    const code = await totpCode(server, secret);

    const response = await verifyTwoFactor(server, challengeToken, code);

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    // The refused attempt spent nothing: the same code completes a fresh login.
    const fresh = await verifyTwoFactor(server, await startTwoFactorLogin(server, user), code);
    expect(fresh.data!.verifyTwoFactor.__typename).toBe('AuthPayload');
  });

  it('are single use: a completed challenge is refused with INVALID_TOKEN', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    const response = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });

  it('cannot be stood in for by a refresh token, a selection token or a forged secret', async () => {
    const { member } = await memberOfTwoAccounts(server);
    const { secret } = await turnOnTwoFactor(server, member);
    const challengeToken = await startTwoFactorLogin(server, member);
    const passed = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));
    const selectionToken = passed.data!.verifyTwoFactor.selectionToken!;
    const code = await nextTotpCode(server, secret);
    const forged = `${challengeToken.split('.')[0]}.${'A'.repeat(43)}`;
    const swappedPrefix = selectionToken.replace(/^ghs_/, 'ghc_');

    for (const impostor of [member.refreshToken, selectionToken, forged, swappedPrefix]) {
      const response = await verifyTwoFactor(server, impostor, code);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    }
    // None of them spent the code.
    const genuine = await verifyTwoFactor(server, await startTwoFactorLogin(server, member), code);
    expect(genuine.data!.verifyTwoFactor.__typename).toBe('AccountSelectionRequired');
  });

  it('are not accepted where other tokens are: as a refresh token or a selection token', async () => {
    const user = await signUp(server);
    await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);

    const asRefresh = await presentRefreshToken(server, challengeToken);
    const asSelection = await server.graphql(SELECT_ACCOUNT, { input: { selectionToken: challengeToken, accountId: user.accountId } });

    expect(asRefresh.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(asSelection.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
  });
});

describe('two-factor login with several accounts', () => {
  it('asks for the second factor before showing the accounts, then lets the user pick one', async () => {
    const { owner, member } = await memberOfTwoAccounts(server, 'admin');
    const { secret } = await turnOnTwoFactor(server, member);

    const login = await logInWithPassword(server, member);
    expect(login.data!.login.__typename).toBe('TwoFactorRequired');
    const passed = await verifyTwoFactor(server, login.data!.login.challengeToken!, await nextTotpCode(server, secret));
    expect(passed.errors).toBeUndefined();
    const choice = passed.data!.verifyTwoFactor;
    expect(choice.__typename).toBe('AccountSelectionRequired');
    expect(choice.accounts!.map((account) => account.id).sort()).toEqual([owner.accountId, member.accountId].sort());

    const selected = await server.graphql(SELECT_ACCOUNT, { input: { selectionToken: choice.selectionToken, accountId: owner.accountId } });

    expect(selected.errors).toBeUndefined();
    expect(selected.data!.selectAccount).toMatchObject({ __typename: 'AuthPayload', role: 'admin', account: { id: owner.accountId } });
  });

  it('asks for the second factor straight into the account named at login', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const { secret } = await turnOnTwoFactor(server, member);
    const challengeToken = await startTwoFactorLogin(server, member, owner.accountId);

    const response = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(response.data!.verifyTwoFactor).toMatchObject({ __typename: 'AuthPayload', role: 'member', account: { id: owner.accountId } });
  });

  it('voids a selection issued before 2FA was turned on: the login starts again, and asks for the second factor', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const login = await server.graphql(LOGIN, { input: { email: member.email, password: member.password } });
    const selectionToken = login.data!.login.selectionToken!;
    const { secret } = await turnOnTwoFactor(server, member);
    const sessionsBefore = await sessionCount(server, member.userId);

    const selected = await server.graphql(SELECT_ACCOUNT, { input: { selectionToken, accountId: owner.accountId } });

    expect(selected.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
    expect(await sessionCount(server, member.userId)).toBe(sessionsBefore);
    const challengeToken = await startTwoFactorLogin(server, member, owner.accountId);
    const passed = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));
    expect(passed.data!.verifyTwoFactor).toMatchObject({ __typename: 'AuthPayload', account: { id: owner.accountId } });
  });

  it('sends a user added to a second account after the challenge into the account the challenge named', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challengeToken = await startTwoFactorLogin(server, user);
    await addMember(server, other, user, 'member');

    const response = await verifyTwoFactor(server, challengeToken, await nextTotpCode(server, secret));

    expect(response.data!.verifyTwoFactor).toMatchObject({ __typename: 'AuthPayload', account: { id: user.accountId } });
  });
});

describe('what the password alone tells', () => {
  it('answers a login into an account the user is not in exactly like one they are in, until the second factor', async () => {
    const { owner, member } = await memberOfTwoAccounts(server);
    const stranger = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, member);

    const intoTheirs = await logInWithPassword(server, member, owner.accountId);
    const intoAnother = await logInWithPassword(server, member, stranger.accountId);

    expect(intoTheirs.data!.login.__typename).toBe('TwoFactorRequired');
    expect(intoAnother.errors).toBeUndefined();
    expect(intoAnother.data!.login.__typename).toBe('TwoFactorRequired');
    const passed = await verifyTwoFactor(server, intoAnother.data!.login.challengeToken!, await nextTotpCode(server, secret));
    expect(passed.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_MEMBER' });
  });
});

describe('the session a second factor opens', () => {
  it('records the address and user agent of the request that gave the code, where its tokens go', async () => {
    const user = await signUp(server);
    const { secret } = await turnOnTwoFactor(server, user);
    const challenge = await server.graphql<{ login: Partial<Pick<TwoFactorRequired, 'challengeToken'>> }>(
      `mutation($input: LoginInput!) { login(input: $input) { ... on TwoFactorRequired { challengeToken } } }`,
      { input: { email: user.email, password: user.password } },
      { headers: { 'x-forwarded-for': '198.51.100.201', 'user-agent': 'PasswordStep/1.0' } },
    );

    const passed = await server.graphql<{ verifyTwoFactor: Partial<Pick<AuthPayload, 'accessToken'>> }>(
      `mutation($challengeToken: String!, $code: String!) { verifyTwoFactor(challengeToken: $challengeToken, code: $code) { ... on AuthPayload { accessToken } } }`,
      { challengeToken: challenge.data!.login.challengeToken, code: await nextTotpCode(server, secret) },
      { headers: { 'x-forwarded-for': '198.51.100.202', 'user-agent': 'CodeStep/2.0' } },
    );

    const sessionId = sessionIdOf(passed.data!.verifyTwoFactor.accessToken!);
    expect(await server.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ ip: '198.51.100.202', userAgent: 'CodeStep/2.0' });
  });
});
