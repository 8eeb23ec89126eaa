/**
 * A span around a piece of work the instrumentations cannot see (argon2 on libuv's thread pool), as the
 * services ask for it. This file loads nothing of OpenTelemetry: `untraced` serves when tracing is off, and
 * open-telemetry-spans.ts, loaded only when it is on, records real spans.
 */
export interface Spans {
  /** Runs `work` inside a span named `name`, a child of the request's active span; records a failure on it. */
  inSpan<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export const untraced: Spans = {
  inSpan: (_name, work) => work(),
};
