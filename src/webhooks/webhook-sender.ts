import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress } from './target-policy';

/** What one attempt sends. */
export interface WebhookRequest {
  readonly url: string;
  readonly secret: string;
  /** webhook-id: the event's id, the same on every attempt, for the receiver's de-duplication. */
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: Date;
  /** False for an account's endpoint while private targets are refused: every address the name resolves to is checked on connecting. */
  readonly mayReachPrivateAddresses: boolean;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
}

export type AttemptResult = { readonly ok: true; readonly statusCode: number } | { readonly ok: false; readonly statusCode: number | null; readonly error: string };

const USER_AGENT = 'Gatehouse-Webhooks/1';
/** The receiver's answer is not read beyond its status: a few bytes are drained so the socket closes cleanly. */
const MAX_RESPONSE_BYTES = 4096;

/** The resolver the connection uses, refusing a name that resolves to a private address (DNS rebinding). */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused || addresses.length === 0) {
      return callback(Object.assign(new Error('The endpoint resolves to a private address.'), { code: 'EPRIVATE' }), []);
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses as [LookupAddress];
    callback(null, first.address, first.family);
  });
}

/** Signs (Standard Webhooks) and POSTs one event; any 2xx is a delivery, anything else (or no answer in time) a failure. */
export function sendWebhook(request: WebhookRequest): Promise<AttemptResult> {
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal never meets the resolver, so it is judged here.
  if (!request.mayReachPrivateAddresses && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.resolve({ ok: false, statusCode: null, error: 'The endpoint is a private address.' });
  }
  // Loaded with the first delivery: an instance without webhook endpoints never needs it (about 15 ms of a start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- loaded on first use
  const { Webhook } = require('standardwebhooks') as typeof import('standardwebhooks');
  const signature = new Webhook(request.secret).sign(request.messageId, request.sentAt, request.body);
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': request.messageId,
    'webhook-timestamp': String(Math.floor(request.sentAt.getTime() / 1000)),
    'webhook-signature': signature,
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = client.request(
      url,
      {
        method: 'POST',
        headers,
        signal: request.signal,
        ...(request.mayReachPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        const statusCode = response.statusCode ?? 0;
        const result: AttemptResult = statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, statusCode, error: `HTTP ${statusCode}` };
        response.on('end', () => finish(result));
        response.on('close', () => finish(result));
        response.on('error', () => finish(result));
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error('timed out'));
    }, request.timeoutSeconds * 1000);
    // Errors carry no URL or header: the code or a short message only (the URL may hold a token of the receiver's).
    outgoing.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, statusCode: null, error: error.code ?? error.message.slice(0, 100) }));
    outgoing.end(request.body);
  });
}
