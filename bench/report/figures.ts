import type { EnumerationRound, LoginRound } from '../scenarios/login';
import type { MeLatencyRound } from '../scenarios/me-latency';
import type { MemberListRound } from '../scenarios/member-list';
import type { Measurement } from '../scenarios/scenario';
import type { TokenPathRound } from '../scenarios/token-path';

/** Everything one round measured. */
export interface RoundResults {
  readonly tokenPath: TokenPathRound;
  readonly login: LoginRound;
  readonly enumeration: EnumerationRound;
  readonly refresh: Measurement;
  readonly memberList: MemberListRound;
  readonly signUp: MeLatencyRound;
}

export type Target = { readonly atLeast: number } | { readonly below: number } | { readonly between: readonly [number, number] };

export interface FigureDefinition {
  readonly key: string;
  readonly title: string;
  readonly target: Target;
  /** Runs whose latency the table shows (p50 and p99) instead of their rate: the paced `me` streams. */
  readonly latencySides?: readonly string[];
  /** The ratio of one round; both sides were measured in that round. */
  ratio(round: RoundResults): number;
  /** The runs behind the ratio: their failures fail the figure, their peak RSS is reported. */
  measurements(round: RoundResults): Readonly<Record<string, Measurement>>;
}

export const FIGURES: readonly FigureDefinition[] = [
  {
    key: 'tokenPath',
    title: '1 token path: me/s full stack ÷ no auth layer',
    target: { atLeast: 0.85 },
    ratio: (round) => round.tokenPath.full.perSecond / round.tokenPath.bare.perSecond,
    measurements: (round) => ({ full: round.tokenPath.full, bare: round.tokenPath.bare }),
  },
  {
    key: 'login',
    title: '2 logins/s ÷ bare argon2.verify/s',
    target: { atLeast: 0.85 },
    ratio: (round) => round.login.logins.perSecond / round.login.verifications.perSecond,
    measurements: (round) => ({ logins: round.login.logins, verifications: round.login.verifications }),
  },
  {
    key: 'meLatencyDuringLogins',
    title: '2 me p99 during logins ÷ idle p99',
    target: { below: 3 },
    latencySides: ['meDuringLogins', 'meIdle'],
    ratio: (round) => ratioOfLatencies(round.login.meDuringLogins.latencyP99Ms, round.login.meIdle.latencyP99Ms),
    measurements: (round) => ({ meDuringLogins: round.login.meDuringLogins, meIdle: round.login.meIdle }),
  },
  {
    key: 'unknownEmail',
    title: '3 unknown-email logins/s ÷ known email, wrong password',
    target: { between: [0.9, 1.1] },
    ratio: (round) => round.enumeration.unknown.perSecond / round.enumeration.wrongPassword.perSecond,
    measurements: (round) => ({ unknown: round.enumeration.unknown, known: round.enumeration.wrongPassword }),
  },
  {
    key: 'refresh',
    title: '4 refreshes/s (50 chains) ÷ token path me/s',
    target: { atLeast: 0.3 },
    ratio: (round) => round.refresh.perSecond / round.tokenPath.full.perSecond,
    measurements: (round) => ({ refresh: round.refresh, tokenPath: round.tokenPath.full }),
  },
  {
    key: 'memberList',
    title: '5 1000-member list/s shield on ÷ off',
    target: { atLeast: 0.5 },
    ratio: (round) => round.memberList.full.perSecond / round.memberList.bare.perSecond,
    measurements: (round) => ({ shieldOn: round.memberList.full, shieldOff: round.memberList.bare }),
  },
  {
    // The median, not the p99: a password check on the event loop delays every request queued behind it,
    // which moves the median (5 → 328 ms in the finding); hashing beside it moves mostly the tail.
    key: 'meLatencyDuringSignUps',
    title: '7 me p50 during strong-password sign-ups ÷ idle p50',
    target: { below: 2 },
    latencySides: ['meDuringSignUps', 'meIdle'],
    ratio: (round) => ratioOfLatencies(round.signUp.meBeside.latencyP50Ms, round.signUp.meIdle.latencyP50Ms),
    measurements: (round) => ({ meDuringSignUps: round.signUp.meBeside, meIdle: round.signUp.meIdle, signUps: round.signUp.load }),
  },
];

function ratioOfLatencies(loaded: number | null, idle: number | null): number {
  if (loaded === null || idle === null || idle === 0) return Number.NaN;
  return loaded / idle;
}

export function meetsTarget(value: number, target: Target): boolean {
  if (Number.isNaN(value)) return false;
  if ('atLeast' in target) return value >= target.atLeast;
  if ('below' in target) return value < target.below;
  return value >= target.between[0] && value <= target.between[1];
}

export function describeTarget(target: Target): string {
  if ('atLeast' in target) return `≥ ${target.atLeast}`;
  if ('below' in target) return `< ${target.below}`;
  return `${target.between[0]}–${target.between[1]}`;
}
