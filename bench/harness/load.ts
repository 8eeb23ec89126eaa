import autocannon from 'autocannon';

/**
 * A GraphQL POST whose body may change per request (tokens, emails), and what makes its answer a success.
 * `Data` is what the scenario's document selects, as the scenario reads it.
 */
export interface LoadRequest<Data = unknown> {
  readonly url: string;
  /** Called for every request; the returned state comes back in `check` with its response. */
  prepare(): { body: string; headers?: Record<string, string>; state?: unknown };
  /** null when the response is what the scenario expects; otherwise why it is not (counted as a failure). */
  check(body: GraphQLBody<Data>, state: unknown): string | null;
  /** After check, with the same state: a chain advances, a borrowed account goes back to its pool. */
  settle?(body: GraphQLBody<Data> | null, state: unknown): void;
}

export interface GraphQLBody<Data = unknown> {
  readonly data?: Data | null;
  readonly errors?: readonly { message?: string; extensions?: Record<string, unknown> }[];
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections; unpaced when absent. */
  readonly overallRate?: number;
}

export interface LoadResult {
  /** Responses that were what the scenario expects, per second of the run. */
  readonly servedPerSecond: number;
  readonly served: number;
  /** Non-200 answers, GraphQL `errors` the scenario did not expect, unparsable bodies, socket errors. */
  readonly failures: number;
  readonly failureSamples: readonly string[];
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

const MAX_SAMPLES = 3;

/**
 * One autocannon run. Every response is parsed and checked: a 200 carrying GraphQL `errors` is a
 * failure, not a request served. Per-request state (a token, a chain) travels in autocannon's
 * per-request context, which it resets between requests: what must outlive a request lives in the
 * scenario's own pools.
 */
export async function runLoad<Data>(request: LoadRequest<Data>, options: LoadOptions): Promise<LoadResult> {
  let served = 0;
  let failures = 0;
  const failureSamples: string[] = [];
  const fail = (reason: string) => {
    failures++;
    if (failureSamples.length < MAX_SAMPLES) failureSamples.push(reason.slice(0, 300));
  };

  const result = await autocannon({
    url: request.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (raw, context) => {
          const { body, headers, state } = request.prepare();
          (context as { state?: unknown }).state = state;
          return { ...raw, body, headers: { 'content-type': 'application/json', ...headers } };
        },
        onResponse: (status, text, context) => {
          const { state } = context as { state?: unknown };
          let body: GraphQLBody<Data> | null = null;
          try {
            body = JSON.parse(text) as GraphQLBody<Data>;
          } catch {
            fail(`HTTP ${status}: unparsable body ${text.slice(0, 80)}`);
          }
          if (body) {
            const problem = status === 200 ? request.check(body, state) : `HTTP ${status}: ${text.slice(0, 200)}`;
            if (problem === null) served++;
            else fail(problem);
          }
          request.settle?.(body, state);
        },
      },
    ],
  });
  for (let index = 0; index < result.errors; index++) fail('socket error or timeout');
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    servedPerSecond: served / seconds,
    served,
    failures,
    failureSamples,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

/** The response's errors, as one line for a failure report; null when it has none. */
export function describeErrors(body: GraphQLBody): string | null {
  if (!body.errors || body.errors.length === 0) return null;
  return body.errors.map((error) => `${String(error.extensions?.code ?? '?')}/${String(error.extensions?.reason ?? '')}: ${error.message}`).join('; ');
}

/**
 * Items lent to one request at a time (a login account, a refresh chain). Last in, first out: autocannon
 * asks for the next request right after handing a connection its response, so each connection gets
 * back the item it just returned, and keeps it: one account, or one chain, per connection.
 */
export class Pool<Item> {
  private readonly free: Item[];

  constructor(items: readonly Item[]) {
    this.free = [...items].reverse();
  }

  take(): Item {
    const item = this.free.pop();
    if (item === undefined) throw new Error('pool exhausted: more connections than items');
    return item;
  }

  give(item: Item): void {
    this.free.push(item);
  }
}
