import type { Attributes } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';

/** Attributes holding a whole URL or path: a query string there can carry a token (an email link's, a GET query's variables). */
const URL_ATTRIBUTES = ['url.full', 'url.original', 'http.url', 'http.target'];
/** Attributes dropped outright: the query string alone, and any captured credential-bearing header. */
const DROPPED_ATTRIBUTES = [/^url\.query$/, /^http\.(request|response)\.header\.(authorization|cookie|set-cookie|x-gateway-secret)$/i];
/**
 * Spans whose exception messages can quote the GraphQL document (a syntax error's token, a validation
 * error's literal value): literals can be passwords, so these messages go and the exception type stays.
 */
const DOCUMENT_QUOTING_SPANS = new Set(['graphql.parse', 'graphql.validate']);

/** Removes from `attributes`, in place, what may carry a secret. */
export function redactAttributes(attributes: Attributes): void {
  for (const key of Object.keys(attributes)) {
    if (DROPPED_ATTRIBUTES.some((pattern) => pattern.test(key))) delete attributes[key];
  }
  for (const key of URL_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === 'string' && value.includes('?')) attributes[key] = value.slice(0, value.indexOf('?'));
  }
}

/**
 * The last word on what leaves the process, whatever an instrumentation records: it runs on each ended
 * span before the exporter's batch processor sees it. The instrumentations are configured not to record
 * values (tracing-sdk.ts); this catches what configuration cannot (the HTTP instrumentation always
 * records url.query, only masking a fixed list of parameter names).
 */
export class SecretRedactingSpanProcessor implements tracing.SpanProcessor {
  onStart(): void {}

  onEnd(span: tracing.ReadableSpan): void {
    redactAttributes(span.attributes);
    const quotesDocument = DOCUMENT_QUOTING_SPANS.has(span.name);
    for (const event of span.events) {
      if (event.attributes) {
        redactAttributes(event.attributes);
        if (quotesDocument) {
          delete event.attributes['exception.message'];
          delete event.attributes['exception.stacktrace'];
        }
      }
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
