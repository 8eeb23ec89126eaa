import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: { readonly id: string; readonly accountId: string | null; readonly userId: string | null; readonly type: string; readonly details: Record<string, unknown> | null };
}

/** One request as the receiver saw it. */
export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  /** The status the receiver answered. */
  readonly answered: number;
}

export interface WebhookReceiverOptions {
  /** Answer 500 to the first this-many attempts of each webhook-id. */
  readonly failFirst?: number;
  /** Hold each request this long before answering (ms). */
  readonly delayMilliseconds?: number;
}

/**
 * A real HTTP receiver on loopback that verifies each request with the standardwebhooks package, as a
 * receiver in the wild would. Set `secret` once it is known (an account endpoint's comes from its creation).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret: string | null = null;
  /** While set, requests are held open (never answered) until `releaseHeld` or close. */
  holding = false;
  private readonly held: http.ServerResponse[] = [];
  private readonly attemptsById = new Map<string, number>();
  private readonly server = http.createServer((request, response) => this.handle(request, response));
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly options: WebhookReceiverOptions = {}) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Answers the requests held open (see holding) with 204. */
  releaseHeld(): void {
    for (const response of this.held.splice(0)) response.writeHead(204).end();
  }

  /** Resolves once `predicate` holds over what was received, or rejects after `timeoutMilliseconds`. */
  waitFor(predicate: (received: readonly ReceivedWebhook[]) => boolean, timeoutMilliseconds = 10_000): Promise<void> {
    if (predicate(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`webhook receiver: condition not met; received ${JSON.stringify(this.received.map((entry) => [entry.id, entry.answered]))}`)), timeoutMilliseconds);
      this.waiters.push({ predicate: () => predicate(this.received), resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Resolves once a request is being held open. */
  waitForHeld(timeoutMilliseconds = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = () => (this.held.length > 0 ? resolve() : Date.now() - started > timeoutMilliseconds ? reject(new Error('no request held')) : setTimeout(poll, 20));
      poll();
    });
  }

  /**
   * The payload once its signature verifies with `secret` (default: the receiver's), by the
   * standardwebhooks package; throws when it does not (wrong secret, altered body, stale timestamp).
   */
  verify(entry: ReceivedWebhook, secret = this.secret): WebhookPayload {
    if (!secret) throw new Error('webhook receiver: no secret to verify with');
    return new Webhook(secret).verify(entry.body, { 'webhook-id': entry.id, 'webhook-timestamp': entry.timestamp, 'webhook-signature': entry.signature }) as WebhookPayload;
  }

  /** The payloads received, each verified (see verify). */
  payloads(): WebhookPayload[] {
    return this.received.map((entry) => this.verify(entry));
  }

  async close(): Promise<void> {
    for (const response of this.held.splice(0)) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (this.holding) {
        this.held.push(response);
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      const id = header('webhook-id');
      const attempts = (this.attemptsById.get(id) ?? 0) + 1;
      this.attemptsById.set(id, attempts);
      const answered = attempts <= (this.options.failFirst ?? 0) ? 500 : 204;
      const answer = () => {
        this.received.push({ id, timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), body, answered });
        response.writeHead(answered).end();
        for (const waiter of [...this.waiters]) {
          if (waiter.predicate()) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      };
      if (this.options.delayMilliseconds) setTimeout(answer, this.options.delayMilliseconds);
      else answer();
    });
  }
}
