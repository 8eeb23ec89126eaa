import { generate } from 'otplib';
import { toUnixSeconds } from '../../src/clock';
import { CONFIRM_TOTP, ENABLE_TOTP, LOGIN_WITH_TWO_FACTOR, VERIFY_TWO_FACTOR } from './documents';
import type { SignedUpUser } from './factories';
import type { TestServer } from './test-server';

const PERIOD_SECONDS = 30;

/** The TOTP code an authenticator app shows at the server's (injected) time. */
export const totpCode = (server: TestServer, secret: string, offsetSeconds = 0): Promise<string> =>
  generate({ secret, epoch: toUnixSeconds(server.clock.now()) + offsetSeconds });

/** Moves the server's clock to the next time step and answers its code: each code is good once. */
export async function nextTotpCode(server: TestServer, secret: string): Promise<string> {
  server.clock.advance(PERIOD_SECONDS);
  return totpCode(server, secret);
}

/** Six digits that are no code of the steps the server accepts now. */
export async function wrongTotpCode(server: TestServer, secret: string): Promise<string> {
  const accepted = await Promise.all([-PERIOD_SECONDS, 0, PERIOD_SECONDS].map((offset) => totpCode(server, secret, offset)));
  let candidate = Number(accepted[1]);
  do candidate = (candidate + 1) % 1_000_000;
  while (accepted.includes(String(candidate).padStart(6, '0')));
  return String(candidate).padStart(6, '0');
}

export interface TwoFactorUser {
  readonly secret: string;
  readonly recoveryCodes: string[];
}

/** Turns 2FA on for the user (enableTotp with their password, then confirmTotp with a current code), as a person with an authenticator app would. */
export async function turnOnTwoFactor(server: TestServer, user: SignedUpUser): Promise<TwoFactorUser> {
  const setup = await server.graphql(ENABLE_TOTP, { currentPassword: user.password }, { token: user.accessToken });
  if (setup.errors) throw new Error(`enableTotp failed: ${JSON.stringify(setup.errors)}`);
  const secret = setup.data!.enableTotp.secret;
  const confirmed = await server.graphql(CONFIRM_TOTP, { code: await totpCode(server, secret) }, { token: user.accessToken });
  if (confirmed.errors) throw new Error(`confirmTotp failed: ${JSON.stringify(confirmed.errors)}`);
  return { secret, recoveryCodes: confirmed.data!.confirmTotp.codes };
}

/** Logs in with the password; the raw response. */
export const logInWithPassword = (server: TestServer, user: SignedUpUser, accountId?: string) =>
  server.graphql(LOGIN_WITH_TWO_FACTOR, { input: { email: user.email, password: user.password, accountId } });

/** Logs in with the password and answers the challenge token it must return. */
export async function startTwoFactorLogin(server: TestServer, user: SignedUpUser, accountId?: string): Promise<string> {
  const response = await logInWithPassword(server, user, accountId);
  if (response.data?.login?.__typename !== 'TwoFactorRequired') throw new Error(`expected TwoFactorRequired: ${JSON.stringify(response)}`);
  return response.data.login.challengeToken!;
}

export const verifyTwoFactor = (server: TestServer, challengeToken: string, code: string) =>
  server.graphql(VERIFY_TWO_FACTOR, { challengeToken, code });
