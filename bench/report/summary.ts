import { writeFileSync } from 'node:fs';
import { IDLE_RSS_TARGET_MIB, LOADED_RSS_TARGET_MIB } from '../scenarios/footprint';
import type { FootprintRun } from '../scenarios/footprint';
import type { StartUpRun } from '../scenarios/start-up';
import { describeTarget, FIGURES, meetsTarget } from './figures';
import type { RoundResults, Target } from './figures';
import { spreadOf } from './statistics';
import type { Spread } from './statistics';

export interface FigureResult {
  readonly key: string;
  readonly title: string;
  readonly target: Target | null;
  readonly rounds: readonly number[];
  readonly ratio: Spread;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  readonly met: boolean;
  readonly peakRssMiB: number;
  /** Median absolute figure of each run behind the ratio (per second; p50 and p99 in ms for latency runs). */
  readonly sides: Readonly<Record<string, { perSecond: number; p50Ms: number | null; p99Ms: number | null }>>;
}

/** One production instance's resident set (scenarios/footprint.ts), against issue 14's targets. */
export interface FootprintResult {
  readonly run: FootprintRun;
  readonly idleRss: { readonly target: Target; readonly met: boolean };
  readonly loadedRss: { readonly target: Target; readonly met: boolean };
}

export interface Summary {
  readonly figures: readonly FigureResult[];
  readonly startUp: {
    readonly coldSeconds: Spread;
    readonly warmSeconds: Spread;
    readonly coldTarget: Target;
    readonly warmTarget: Target;
    readonly coldMet: boolean;
    readonly warmMet: boolean;
    readonly peakRssMiB: number | null;
    readonly runs: readonly StartUpRun[];
  };
  readonly footprint: FootprintResult;
  readonly missed: readonly string[];
}

export function summarizeFootprint(run: FootprintRun): FootprintResult {
  const idleTarget: Target = { below: IDLE_RSS_TARGET_MIB };
  const loadedTarget: Target = { below: LOADED_RSS_TARGET_MIB };
  return {
    run,
    idleRss: { target: idleTarget, met: meetsTarget(run.idleRssMiB, idleTarget) },
    // A load that failed requests has not shown the footprint of serving them.
    loadedRss: { target: loadedTarget, met: run.failures === 0 && meetsTarget(run.peakLoadedRssMiB, loadedTarget) },
  };
}

/** The figures' keys that missed their targets. */
export function missedFootprint(footprint: FootprintResult): string[] {
  return [...(footprint.idleRss.met ? [] : ['idleRss']), ...(footprint.loadedRss.met ? [] : ['loadedRss'])];
}

const MiB = 1024 * 1024;
/** Issue 15: spawn → /readyz 200 on the embedded database, first start (migrations included) and second. */
const COLD_START_TARGET: Target = { below: 3 };
const WARM_START_TARGET: Target = { below: 1.5 };

export function summarize(rounds: readonly RoundResults[], startUpRuns: readonly StartUpRun[], footprintRun: FootprintRun): Summary {
  const figures = FIGURES.map((figure): FigureResult => {
    const ratios = rounds.map((round) => figure.ratio(round));
    const runs = rounds.map((round) => figure.measurements(round));
    const all = runs.flatMap((byName) => Object.values(byName));
    const failures = all.reduce((sum, measurement) => sum + measurement.failures, 0);
    const ratio = spreadOf(ratios);
    const sides = Object.fromEntries(
      Object.keys(runs[0]).map((name) => {
        const medianLatency = (latencies: readonly (number | null)[]) =>
          latencies.every((value) => value !== null) ? spreadOf(latencies as number[]).median : null;
        return [
          name,
          {
            perSecond: spreadOf(runs.map((byName) => byName[name].perSecond)).median,
            p50Ms: medianLatency(runs.map((byName) => byName[name].latencyP50Ms)),
            p99Ms: medianLatency(runs.map((byName) => byName[name].latencyP99Ms)),
          },
        ];
      }),
    );
    return {
      key: figure.key,
      title: figure.title,
      target: figure.target,
      rounds: ratios,
      ratio,
      failures,
      failureSamples: [...new Set(all.flatMap((measurement) => measurement.failureSamples))].slice(0, 5),
      // A scenario that failed requests has not met its target, whatever its ratio.
      met: failures === 0 && meetsTarget(ratio.median, figure.target),
      peakRssMiB: Math.max(...all.map((measurement) => measurement.peakRssBytes)) / MiB,
      sides,
    };
  });
  const footprint = summarizeFootprint(footprintRun);
  const startUpRss = startUpRuns.flatMap((run) => [run.coldPeakRssBytes, run.warmPeakRssBytes]).filter((value): value is number => value !== null);
  const coldSeconds = spreadOf(startUpRuns.map((run) => run.coldSeconds));
  const warmSeconds = spreadOf(startUpRuns.map((run) => run.warmSeconds));
  const startUp = {
    coldSeconds,
    warmSeconds,
    coldTarget: COLD_START_TARGET,
    warmTarget: WARM_START_TARGET,
    coldMet: meetsTarget(coldSeconds.median, COLD_START_TARGET),
    warmMet: meetsTarget(warmSeconds.median, WARM_START_TARGET),
    peakRssMiB: startUpRss.length > 0 ? Math.max(...startUpRss) / MiB : null,
    runs: startUpRuns,
  };
  return {
    figures,
    startUp,
    footprint,
    missed: [
      ...figures.filter((figure) => !figure.met).map((figure) => figure.key),
      ...(startUp.coldMet ? [] : ['coldStart']),
      ...(startUp.warmMet ? [] : ['warmStart']),
      ...missedFootprint(footprint),
    ],
  };
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** The results table, as Markdown (pasted into docs/performance.md as it is; the README keeps its headline columns). */
export function formatTable(summary: Summary): string {
  const lines = [
    '| figure | median | min–max | target | met | failures | peak RSS | median absolute figures |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const figure of summary.figures) {
    const latencySides = FIGURES.find((definition) => definition.key === figure.key)?.latencySides ?? [];
    const sides = Object.entries(figure.sides)
      .map(([name, side]) =>
        latencySides.includes(name) && side.p50Ms !== null && side.p99Ms !== null
          ? `${name} p50 ${fixed(side.p50Ms, 1)} ms, p99 ${fixed(side.p99Ms, 1)} ms`
          : `${name} ${fixed(side.perSecond, 0)}/s`,
      )
      .join(', ');
    lines.push(
      `| ${figure.title} | ${fixed(figure.ratio.median)} | ${fixed(figure.ratio.min)}–${fixed(figure.ratio.max)} | ${describeTarget(figure.target)} | ${figure.target === null ? '—' : figure.met ? 'yes' : '**no**'} | ${figure.failures} | ${fixed(figure.peakRssMiB, 0)} MiB | ${sides} |`,
    );
  }
  const { startUp } = summary;
  const rss = startUp.peakRssMiB === null ? 'n/a' : `${fixed(startUp.peakRssMiB, 0)} MiB`;
  const met = (isMet: boolean) => (isMet ? 'yes' : '**no**');
  lines.push(
    `| 6 cold start, embedded database (s) | ${fixed(startUp.coldSeconds.median)} | ${fixed(startUp.coldSeconds.min)}–${fixed(startUp.coldSeconds.max)} | ${describeTarget(startUp.coldTarget)} | ${met(startUp.coldMet)} | 0 | ${rss} | spawn → /readyz 200, migrations included |`,
  );
  lines.push(
    `| 6 warm start, embedded database (s) | ${fixed(startUp.warmSeconds.median)} | ${fixed(startUp.warmSeconds.min)}–${fixed(startUp.warmSeconds.max)} | ${describeTarget(startUp.warmTarget)} | ${met(startUp.warmMet)} | 0 | ${rss} | same DATA_DIR, second start |`,
  );
  lines.push(...footprintRows(summary.footprint));
  return lines.join('\n');
}

/** Two rows in the table's columns: one run, so the median is its figure and there is no spread. */
export function footprintRows({ run, idleRss, loadedRss }: FootprintResult): string[] {
  const met = (isMet: boolean) => (isMet ? 'yes' : '**no**');
  const load = `token path, ${run.loadSeconds} s: ${run.served} me served, peak ${fixed(run.peakLoadedRssMiB, 0)} MiB, ${fixed(run.endLoadedRssMiB, 0)} MiB at the end`;
  return [
    `| 8 RSS of one production instance on PostgreSQL, idle (MiB) | ${fixed(run.idleRssMiB, 0)} | — | ${describeTarget(idleRss.target)} | ${met(idleRss.met)} | 0 | ${fixed(run.idleRssMiB, 0)} MiB | npm start's command, 5 s after /readyz |`,
    `| 8 RSS of one production instance on PostgreSQL, under load (MiB) | ${fixed(run.peakLoadedRssMiB, 0)} | — | ${describeTarget(loadedRss.target)} | ${met(loadedRss.met)} | ${run.failures} | ${fixed(run.peakLoadedRssMiB, 0)} MiB | ${load} |`,
  ];
}

export function writeResults(file: string, environment: Record<string, unknown>, summary: Summary): void {
  writeFileSync(file, `${JSON.stringify({ environment, ...summary }, null, 2)}\n`);
}
