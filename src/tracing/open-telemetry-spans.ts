import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { TraceLogFields } from '../logger';
import type { Spans } from './spans';

const tracer = trace.getTracer('gatehouse');

/** Spans through the global tracer provider that tracing-sdk.ts registered. */
export const openTelemetrySpans: Spans = {
  inSpan: (name, work) =>
    tracer.startActiveSpan(name, async (span) => {
      try {
        return await work();
      } catch (error) {
        // The error's kind only: a message could quote what the work was given.
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    }),
};

/**
 * The active span's ids for a log line (trace_id, span_id, as OpenTelemetry's log data model names them),
 * so a log line leads to its trace and back. Nothing outside a span (start-up, timers).
 */
export const activeTraceLogFields: TraceLogFields = () => {
  const context = trace.getActiveSpan()?.spanContext();
  return context ? { trace_id: context.traceId, span_id: context.spanId } : undefined;
};
