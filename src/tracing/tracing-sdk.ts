import { context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { core, NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { Config } from '../config/config';
import { SecretRedactingSpanProcessor } from './span-redaction';

/** Probes and scrapes: a trace every few seconds per load balancer, telling nothing about a user's request. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface Tracing {
  /**
   * Runs start-up (migrations, building the schema) untraced: without a request it would make traces of
   * one span each on every start. What start-up leaves running in the background inherits this.
   */
  untraced<T>(work: () => Promise<T>): Promise<T>;
  /** Ends the instrumentation's work: exports the spans still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry: an OTLP/HTTP (JSON) exporter, configured by the standard variables
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*,
 * OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES), and the HTTP, Express, GraphQL and node-postgres
 * instrumentations. They patch modules as these are loaded, so main.ts calls this before it loads the app.
 * Traces only: metrics are Prometheus's (GET /metrics), logs go to standard output.
 */
export function startTracing(config: NonNullable<Config['tracing']>): Tracing {
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    spanProcessors: [new SecretRedactingSpanProcessor(), new tracing.BatchSpanProcessor(new OTLPTraceExporter())],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!),
        // Outgoing calls (SMTP is not HTTP) are traced only as part of a request or a traced job.
        requireParentforOutgoingSpans: true,
        // No header is recorded beyond the user agent: not Authorization, Cookie or X-Gateway-Secret.
        headersToSpanAttributes: {},
      }),
      // A router's span is most often a router the request only passed by (/healthz's for a /graphql request).
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.ROUTER] }),
      // allowValues: false: the document is recorded with every literal replaced by '*', variables never.
      // depth 1: the operation's own fields; graphql-shield wraps every field in a resolver, so deeper
      // would be a span for each field of the answer (20 for a login), where the work is in the top one.
      new GraphQLInstrumentation({ allowValues: false, depth: 1, mergeItems: true }),
      // Statement text only (Prisma's and ours are parameterised), never parameter values; statements
      // outside a request (migrations, background jobs) make no orphan traces.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  sdk.start();
  return {
    untraced: (work) => context.with(core.suppressTracing(context.active()), work),
    shutdown: () => sdk.shutdown(),
  };
}
