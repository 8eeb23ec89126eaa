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
  /** null: reported for information, never missed. */
  readonly target: Target | null;
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
    // Figure 1 compares two apps that carry the same framework; this one compares the whole token path
    // with the least a GraphQL request costs on the same stack (issue 15).
    key: 'apolloCeiling',
    title: '1b me/s full stack ÷ bare Apollo on Express 5 { __typename }/s',
    target: { atLeast: 0.7 },
    ratio: (round) => round.tokenPath.full.perSecond / round.tokenPath.apolloOnExpress.perSecond,
    measurements: (round) => ({ full: round.tokenPath.full, apolloOnExpress: round.tokenPath.apolloOnExpress }),
  },
  {
    // Without Express, Apollo's standalone server answers { __typename } in about half the CPU: what a
    // request costs below this stack. Reported so the distance is known; no target (docs/performance.md).
    key: 'apolloStandaloneCeiling',
    title: '1c me/s full stack ÷ bare Apollo standalone { __typename }/s',
    target: null,
    ratio: (round) => round.tokenPath.full.perSecond / round.tokenPath.apolloStandalone.perSecond,
    measurements: (round) => ({ full: round.tokenPath.full, apolloStandalone: round.tokenPath.apolloStandalone }),
  },
  {
    key: 'login',
    title: '2 logins/s ÷ bare argon2.verify/s',
    target: { atLeast: 0.9 },
    ratio: (round) => round.login.logins.perSecond / round.login.verifications.perSecond,
    measurements: (round) => ({ logins: round.login.logins, verifications: round.login.verifications }),
  },
  {
    key: 'meLatencyDuringLogins',
    title: '2 me p99 during logins ÷ idle p99',
    target: { below: 2 },
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
    target: { atLeast: 0.6 },
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

export function meetsTarget(value: number, target: Target | null): boolean {
  if (target === null) return true;
  if (Number.isNaN(value)) return false;
  if ('atLeast' in target) return value >= target.atLeast;
  if ('below' in target) return value < target.below;
  return value >= target.between[0] && value <= target.between[1];
}

export function describeTarget(target: Target | null): string {
  if (target === null) return '—';
  if ('atLeast' in target) return `≥ ${target.atLeast}`;
  if ('below' in target) return `< ${target.below}`;
  return `${target.between[0]}–${target.between[1]}`;
}
