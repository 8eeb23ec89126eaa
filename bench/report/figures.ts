import type { EnumerationRound, LoginRound } from '../scenarios/login';
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
}

export type Target = { readonly atLeast: number } | { readonly below: number } | { readonly between: readonly [number, number] };

export interface FigureDefinition {
  readonly key: string;
  readonly title: string;
  readonly target: Target;
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
    ratio: (round) => ratioOfLatencies(round.login.meDuringLogins, round.login.meIdle),
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
];

function ratioOfLatencies(loaded: Measurement, idle: Measurement): number {
  if (loaded.latencyP99Ms === null || idle.latencyP99Ms === null || idle.latencyP99Ms === 0) return Number.NaN;
  return loaded.latencyP99Ms / idle.latencyP99Ms;
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
