import { z } from 'zod';
import type { ReportProblem } from './config-error';
import type { Environment } from './environment';

/** An endpoint the operator configured (WEBHOOK_ENDPOINTS): it receives every event of every account. */
export interface OperatorWebhookEndpoint {
  readonly url: string;
  /** The Standard Webhooks secret, `whsec_` and base64: it signs, so it is never logged or stored. */
  readonly secret: string;
}

export interface WebhookConfig {
  readonly operatorEndpoints: readonly OperatorWebhookEndpoint[];
  /**
   * Whether an account's endpoint may point at loopback, private or link-local addresses (and use plain
   * http). Off in production unless WEBHOOK_ALLOW_PRIVATE_TARGETS says so: an account admin's URL must not
   * reach the service's own network (SSRF). Operator endpoints are the operator's choice and never checked.
   */
  readonly allowPrivateTargets: boolean;
  /** https only for account endpoints: on in production. */
  readonly requireHttps: boolean;
  /** One attempt's limit, connection to last byte. */
  readonly timeoutSeconds: number;
  /** How often each instance looks for due deliveries. */
  readonly pollIntervalMilliseconds: number;
}

const VARIABLE = 'WEBHOOK_ENDPOINTS';
const MAX_OPERATOR_ENDPOINTS = 20;

/** `whsec_` then base64 of 24 to 64 random bytes, as the Standard Webhooks libraries generate and read them. */
export const isWebhookSecret = (secret: string): boolean => {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match?.[1]) return false;
  const bytes = Buffer.from(match[1], 'base64').length;
  return bytes >= 24 && bytes <= 64;
};

const endpointsSchema = z
  .array(
    z
      .object({
        url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
        secret: z.string().refine(isWebhookSecret, 'must be whsec_ followed by base64 of 24 to 64 bytes'),
      })
      .strict(),
  )
  .max(MAX_OPERATOR_ENDPOINTS);

/** Reads WEBHOOK_ENDPOINTS, a JSON array of { url, secret }; reports (never quotes) what is wrong with it. */
export function readWebhookConfig(values: Environment, isProduction: boolean, report: ReportProblem): WebhookConfig {
  return {
    operatorEndpoints: readOperatorEndpoints(values.WEBHOOK_ENDPOINTS, report),
    allowPrivateTargets: values.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? !isProduction,
    requireHttps: isProduction,
    timeoutSeconds: values.WEBHOOK_TIMEOUT_SECONDS,
    pollIntervalMilliseconds: values.WEBHOOK_POLL_INTERVAL_MS,
  };
}

function readOperatorEndpoints(text: string | undefined, report: ReportProblem): readonly OperatorWebhookEndpoint[] {
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    report(VARIABLE, 'must be a JSON array of { "url": …, "secret": "whsec_…" }');
    return [];
  }
  const parsed = endpointsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  // Paths and messages only: the issue's input would be the secret.
  for (const issue of parsed.error.issues) report(`${VARIABLE}[${issue.path.join('.')}]`, issue.message);
  return [];
}
