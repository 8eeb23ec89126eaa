import { runLoad } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import type { BenchContext, Measurement } from './scenario';
import { fullUrl, measureLoad, toMeasurement } from './scenario';
import { meRequest } from './token-path';

/** The `me` stream that runs beside a load: paced, so it measures latency, not a second saturating load. */
const ME_STREAM = { connections: 2, overallRate: 50 } as const;

export interface MeLatencyRound {
  /** The paced `me` stream alone. */
  readonly meIdle: Measurement;
  /** The same stream while `load` runs beside it. */
  readonly meBeside: Measurement;
  /** The load itself during that second run (its failures are the scenario's). */
  readonly load: Measurement;
}

/** What a load does to everyone else's requests: `me` latency alone, then beside `connections` clients running `load`. */
export async function measureMeLatencyBeside(
  context: BenchContext,
  accessTokens: readonly string[],
  load: LoadRequest,
  connections: number,
): Promise<MeLatencyRound> {
  const url = fullUrl(context);
  const meIdle = await measureLoad(context, meRequest(url, accessTokens), ME_STREAM);
  const { result, peakRssBytes } = await context.server.measurePeakRss(() =>
    Promise.all([
      runLoad(load, { connections, durationSeconds: context.seconds }),
      runLoad(meRequest(url, accessTokens), { ...ME_STREAM, durationSeconds: context.seconds }),
    ]),
  );
  return { meIdle, meBeside: toMeasurement(result[1], peakRssBytes), load: toMeasurement(result[0], peakRssBytes) };
}
