import type { Clock } from '../clock';
import type { WebhookConfig } from '../config/webhook-config';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { SecretBox } from '../two-factor/secret-box';
import { DeliveryClaims } from './delivery-claims';
import type { AttemptOutcome, ClaimedDelivery } from './delivery-claims';
import { operatorSecretOf } from './operator-endpoints';
import { retryDelaySeconds } from './retry-schedule';
import { webhookPayloadOf } from './webhook-payload';
import { endpointSecretContext } from './webhook-secret';
import { sendWebhook } from './webhook-sender';
import type { AttemptResult } from './webhook-sender';

/** Deliveries one instance attempts at once. */
const BATCH_SIZE = 10;
/** The lease outlasts an attempt's timeout by this much, for the statements around it. */
const LEASE_MARGIN_SECONDS = 5;

export interface WebhookDispatcherOptions {
  readonly prisma: PrismaClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secretBox: SecretBox;
  readonly config: WebhookConfig;
}

/**
 * The delivery worker every instance runs (the embedded database's single process too): it polls the
 * outbox, claims due deliveries under a lease (delivery-claims.ts), sends them, and records each outcome
 * with the next attempt's time from the retry schedule. Due times and leases follow the injected clock;
 * the signature's timestamp is the wall clock, which receivers compare theirs with.
 */
export class WebhookDispatcher {
  private readonly claims: DeliveryClaims;
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.claims = new DeliveryClaims(options.prisma);
  }

  start(): void {
    this.schedule();
  }

  /** Stops polling, abandons attempts in flight (their leases are given back) and waits for them. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Claims and attempts one batch of due deliveries; resolves with how many it claimed. */
  async runOnce(): Promise<number> {
    const { clock, config } = this.options;
    const claimed = await this.claims.claim(clock.now(), config.timeoutSeconds + LEASE_MARGIN_SECONDS, BATCH_SIZE);
    await Promise.all(claimed.map((delivery) => this.attemptOrCount(delivery)));
    return claimed.length;
  }

  /**
   * An attempt that failed on Gatehouse's side (a secret that no longer opens after a key change, a lost
   * connection) still counts on the schedule: otherwise its lease would run out and it would be claimed
   * again every lease period, forever.
   */
  private async attemptOrCount(delivery: ClaimedDelivery): Promise<void> {
    try {
      await this.attempt(delivery);
    } catch (error) {
      this.options.logger.warn({ err: error, deliveryId: delivery.id }, 'webhook delivery could not be attempted');
      await this.record(delivery, { ok: false, statusCode: null, error: 'INTERNAL' }).catch(() => undefined);
    }
  }

  private schedule(): void {
    if (this.shutdown.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.options.config.pollIntervalMilliseconds);
    this.timer.unref();
  }

  /** Batch after batch while full ones come back, so a backlog does not wait a poll interval per batch. */
  private async drain(): Promise<void> {
    try {
      while (!this.shutdown.signal.aborted && (await this.runOnce()) === BATCH_SIZE);
    } catch (error) {
      // The database may be away for a moment; the next poll tries again, and leases taken meanwhile run out.
      if (!this.shutdown.signal.aborted) this.options.logger.warn({ err: error }, 'webhook delivery poll failed');
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { prisma, config, secretBox, logger } = this.options;
    const [event, endpoint] = await Promise.all([
      prisma.authEvent.findUnique({ where: { id: delivery.eventId } }),
      prisma.webhookEndpoint.findUnique({ where: { id: delivery.endpointId } }),
    ]);
    // Deleted since the claim (the endpoint, the account): the delivery went with it.
    if (!event || !endpoint) return;
    const secret = endpoint.sealedSecret ? secretBox.open(endpoint.sealedSecret, endpointSecretContext(endpoint.id)) : operatorSecretOf(config.operatorEndpoints, endpoint.id);
    if (!secret) {
      // An operator endpoint this instance is not configured with (a rolling change of WEBHOOK_ENDPOINTS): leave it to one that is.
      await this.claims.release(delivery);
      return;
    }
    const result = await sendWebhook({
      url: endpoint.url,
      secret,
      messageId: event.id,
      body: JSON.stringify(webhookPayloadOf(event)),
      sentAt: new Date(),
      mayReachPrivateAddresses: endpoint.accountId === null || config.allowPrivateTargets,
      timeoutSeconds: config.timeoutSeconds,
      signal: this.shutdown.signal,
    });
    if (this.shutdown.signal.aborted && !result.ok) {
      await this.claims.release(delivery).catch(() => undefined);
      return;
    }
    const willRetry = await this.record(delivery, result);
    if (!result.ok) {
      logger.warn(
        { deliveryId: delivery.id, eventId: event.id, endpointId: endpoint.id, attempt: delivery.attempts + 1, statusCode: result.statusCode, error: result.error, willRetry },
        'webhook delivery failed',
      );
    }
  }

  /** Records an attempt's result with the next attempt's time from the schedule; resolves whether another follows. */
  private async record(delivery: ClaimedDelivery, result: AttemptResult): Promise<boolean> {
    const now = this.options.clock.now();
    const delay = result.ok ? null : retryDelaySeconds(delivery.attempts + 1);
    const outcome: AttemptOutcome = result.ok
      ? { kind: 'delivered', statusCode: result.statusCode }
      : delay === null
        ? { kind: 'failed', statusCode: result.statusCode, error: result.error }
        : { kind: 'retry', nextAttemptAt: new Date(now.getTime() + delay * 1000), statusCode: result.statusCode, error: result.error };
    await this.claims.settle(delivery, now, outcome);
    return delay !== null;
  }
}
