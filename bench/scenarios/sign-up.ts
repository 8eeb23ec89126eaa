import { randomInt } from 'node:crypto';
import { describeErrors } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import { measureMeLatencyBeside } from './me-latency';
import type { MeLatencyRound } from './me-latency';
import type { BenchContext } from './scenario';
import { fullUrl, graphqlBody } from './scenario';

const SIGN_UP = 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken } }';

/** The looping clients of the finding this scenario guards: 4 of them pushed `me` p50 from 5 to 328 ms. */
export const SIGN_UP_CONNECTIONS = 4;

/** Printable ASCII without the space: letters, digits and every symbol, so zxcvbn tries all its matchers. */
const PASSWORD_ALPHABET = Array.from({ length: 126 - 33 + 1 }, (_, index) => String.fromCharCode(33 + index)).join('');
/** The most zxcvbn judges (the policy's strength-check length): its worst case, 40–130 ms each. */
const PASSWORD_LENGTH = 64;

const randomPassword = () => Array.from({ length: PASSWORD_LENGTH }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');

/**
 * New users with strong random passwords: every one passes the cheap checks and costs a full strength
 * estimate, then a hash. Never the same email twice, so no sign-up stops early at EMAIL_TAKEN.
 */
function strongSignUpRequest(url: string, round: number): LoadRequest<{ signUp: { accessToken: string } }> {
  let next = 0;
  return {
    url,
    prepare: () => ({ body: graphqlBody(SIGN_UP, { input: { email: `sign-up-r${round + 1}-${next++}@bench.test`, password: randomPassword() } }) }),
    check: (body) => describeErrors(body) ?? (typeof body.data?.signUp?.accessToken === 'string' ? null : `signUp answered ${JSON.stringify(body.data)}`),
  };
}

/**
 * Scenario 7: `me` latency while clients loop sign-ups. The per-IP sign-up limit would refuse this loop
 * after 20 sign-ups, cheaply (that is what the limit is for); the bench raises it because what is
 * measured here is what the sign-ups that get through cost everyone else: the password policy's
 * strength estimate above all, which must not run on the event loop.
 */
export function measureSignUpLoad(context: BenchContext, accessTokens: readonly string[]): Promise<MeLatencyRound> {
  return measureMeLatencyBeside(context, accessTokens, strongSignUpRequest(fullUrl(context), context.round), SIGN_UP_CONNECTIONS);
}
