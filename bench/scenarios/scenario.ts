import type { LoadOptions, LoadRequest, LoadResult } from '../harness/load';
import { runLoad } from '../harness/load';
import type { ServerProcess } from '../harness/server-process';

/** One load run of a round, with what the server process held in memory meanwhile. */
export interface Measurement {
  readonly perSecond: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
  readonly peakRssBytes: number;
}

export interface BenchContext {
  readonly server: ServerProcess;
  /** Seconds of each load run (shorter in the warm-up round). */
  readonly seconds: number;
  /** Alternates which side of a pair runs first, so a drift in machine load does not favour one side. */
  readonly round: number;
}

export const fullUrl = (context: BenchContext) => `http://127.0.0.1:${context.server.ports.full}/graphql`;
export const bareUrl = (context: BenchContext) => `http://127.0.0.1:${context.server.ports.bare}/graphql`;

export const apolloOnExpressUrl = (context: BenchContext) => `http://127.0.0.1:${context.server.ports.apolloOnExpress}/graphql`;
export const apolloStandaloneUrl = (context: BenchContext) => `http://127.0.0.1:${context.server.ports.apolloStandalone}/`;

export function toMeasurement(result: Pick<LoadResult, 'servedPerSecond' | 'failures' | 'failureSamples'> & { latencyMs?: LoadResult['latencyMs'] }, peakRssBytes: number): Measurement {
  return {
    perSecond: result.servedPerSecond,
    failures: result.failures,
    failureSamples: result.failureSamples,
    latencyP50Ms: result.latencyMs?.p50 ?? null,
    latencyP99Ms: result.latencyMs?.p99 ?? null,
    peakRssBytes,
  };
}

/** One autocannon run against the server process, with its peak RSS. */
export async function measureLoad(context: BenchContext, request: LoadRequest, options: Omit<LoadOptions, 'durationSeconds'>): Promise<Measurement> {
  const { result, peakRssBytes } = await context.server.measurePeakRss(() => runLoad(request, { ...options, durationSeconds: context.seconds }));
  return toMeasurement(result, peakRssBytes);
}

/** Runs the two sides of a pair, first one then the other, swapping the order every round. */
export async function inAlternatingOrder<A, B>(round: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await first();
    return [a, await second()];
  }
  const b = await second();
  return [await first(), b];
}

/** Runs several sides one after another, starting each round one further along, so no side always runs first or last. */
export async function inRotatingOrder<Results extends readonly unknown[]>(
  round: number,
  sides: { readonly [Index in keyof Results]: () => Promise<Results[Index]> },
): Promise<Results> {
  const results: unknown[] = new Array(sides.length);
  const start = ((round % sides.length) + sides.length) % sides.length;
  for (let step = 0; step < sides.length; step++) {
    const index = (start + step) % sides.length;
    results[index] = await sides[index]();
  }
  return results as unknown as Results;
}

export const graphqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** Authorization headers cycling over the given tokens; none when there are none (the app without the auth layer). */
export function bearerHeaders(accessTokens: readonly string[]): () => Record<string, string> {
  let next = 0;
  return (): Record<string, string> => (accessTokens.length === 0 ? {} : { authorization: `Bearer ${accessTokens[next++ % accessTokens.length]}` });
}
