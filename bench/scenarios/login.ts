import { BENCH_PASSWORD } from '../harness/fixtures';
import { describeErrors, Pool } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import { measureMeLatencyBeside } from './me-latency';
import type { BenchContext, Measurement } from './scenario';
import { fullUrl, graphqlBody, inAlternatingOrder, measureLoad, toMeasurement } from './scenario';

const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { __typename ... on AuthPayload { accessToken refreshToken } }
}`;

/** Each connection logs in as its own account (a pool lends each account to one request at a time). */
/** What LOGIN selects: the tokens, when the login opened a session. */
interface LoginData {
  login: { __typename: string; accessToken?: string; refreshToken?: string };
}

function knownLoginRequest(url: string, emails: readonly string[]): LoadRequest<LoginData> {
  const accounts = new Pool(emails);
  return {
    url,
    prepare: () => {
      const email = accounts.take();
      return { body: graphqlBody(LOGIN, { input: { email, password: BENCH_PASSWORD } }), state: email };
    },
    check: (body) => describeErrors(body) ?? (body.data?.login?.__typename === 'AuthPayload' ? null : `login answered ${JSON.stringify(body.data)}`),
    settle: (_body, state) => accounts.give(state as string),
  };
}

/** An INVALID_CREDENTIALS refusal, and nothing else, is the answer a failed login must get. */
function expectInvalidCredentials(body: Parameters<LoadRequest['check']>[0]): string | null {
  const [error, ...more] = body.errors ?? [];
  const isExpected = more.length === 0 && error?.extensions?.code === 'UNAUTHENTICATED' && error.extensions.reason === 'INVALID_CREDENTIALS';
  return isExpected ? null : `expected INVALID_CREDENTIALS, got ${describeErrors(body) ?? JSON.stringify(body.data)}`;
}

/**
 * Never the same email twice: the per-identifier back-off (from the 5th failure) would otherwise refuse
 * these before any hashing and flatter the figure. The per-IP failure limit is raised for the run.
 */
function unknownLoginRequest(url: string, round: number): LoadRequest<LoginData> {
  let next = 0;
  return {
    url,
    prepare: () => ({ body: graphqlBody(LOGIN, { input: { email: `nobody-${round}-${next++}@bench.test`, password: BENCH_PASSWORD } }) }),
    check: expectInvalidCredentials,
  };
}

/** Existing users with a wrong password, cycling through many of them so none reaches its back-off. */
function wrongPasswordRequest(url: string, emails: readonly string[], round: number): LoadRequest<LoginData> {
  let next = round * 97;
  return {
    url,
    prepare: () => ({ body: graphqlBody(LOGIN, { input: { email: emails[next++ % emails.length], password: `${BENCH_PASSWORD} (wrong)` } }) }),
    check: expectInvalidCredentials,
  };
}

export interface LoginRound {
  /** Successful logins, one account per connection. */
  readonly logins: Measurement;
  /** Bare argon2.verify calls at the same parameters and concurrency, in the server process. */
  readonly verifications: Measurement;
  /** The paced `me` stream alone, then beside the logins. */
  readonly meIdle: Measurement;
  readonly meDuringLogins: Measurement;
}

/**
 * Logins against bare hashing, side by side and alone (a `me` stream beside the logins would charge
 * its own CPU to them); then, separately, the `me` stream's latency idle and while logins saturate the pool.
 */
export async function measureLogin(context: BenchContext, accessTokens: readonly string[]): Promise<LoginRound> {
  const emails = context.server.fixtures.loginEmails;
  const url = fullUrl(context);
  const [logins, verifications] = await inAlternatingOrder(
    context.round,
    () => measureLoad(context, knownLoginRequest(url, emails), { connections: emails.length }),
    async () => {
      const { result, peakRssBytes } = await context.server.measurePeakRss(() =>
        context.server.call({ command: 'verifyHashes', concurrency: emails.length, durationSeconds: context.seconds }),
      );
      return toMeasurement({ servedPerSecond: result.perSecond, failures: 0, failureSamples: [] }, peakRssBytes);
    },
  );
  const { meIdle, meBeside } = await measureMeLatencyBeside(context, accessTokens, knownLoginRequest(url, emails), emails.length);
  return { logins, verifications, meIdle, meDuringLogins: meBeside };
}

export interface EnumerationRound {
  /** Logins for emails no user has. */
  readonly unknown: Measurement;
  /** Logins for existing users with a wrong password: what an attacker probing for accounts gets instead. */
  readonly wrongPassword: Measurement;
}

/**
 * Scenario 3, side by side at the same concurrency: an unknown email must cost what a known one with
 * a wrong password costs (the same hash), or the rate itself tells which emails exist.
 */
export async function measureEnumerationParity(context: BenchContext): Promise<EnumerationRound> {
  const url = fullUrl(context);
  const connections = context.server.fixtures.loginEmails.length;
  const [unknown, wrongPassword] = await inAlternatingOrder(
    context.round,
    () => measureLoad(context, unknownLoginRequest(url, context.round), { connections }),
    () => measureLoad(context, wrongPasswordRequest(url, context.server.fixtures.probeEmails, context.round), { connections }),
  );
  return { unknown, wrongPassword };
}
