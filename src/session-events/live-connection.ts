import type { Clock } from '../clock';
import type { SessionEventFeed, SessionEventMessage } from '../identity/session-event';
import type { CloseCode } from './connection-verdict';
import { EventQueue } from './event-queue';

/** How long before the access token's expiry TOKEN_EXPIRING is sent (half the time left, when less remains). */
export const TOKEN_EXPIRY_WARNING_SECONDS = 30;

/** The WebSocket code for a server going down: the client may connect again at once (elsewhere). */
export const GOING_AWAY = 1001;

/** How long an ending connection waits for a subscriber, then for its last event to go out, before it closes anyway. */
const DELIVERY_WAIT_MILLISECONDS = 250;

/** Events kept for a subscription that has not started yet (the client subscribes just after connection_ack). */
const MAX_BACKLOG = 16;

export interface LiveConnectionOptions {
  readonly sessionId: string;
  readonly userId: string;
  readonly accountId: string;
  readonly role: string;
  readonly tokenExpiresAt: Date;
  /** Closes the socket with this code (the transport's business). */
  readonly closeSocket: (code: number, reason: string) => void;
}

/**
 * One authenticated WebSocket: who it is for, its subscriptions' streams, and the timers of its access
 * token (a warning, then the close at expiry: a token is never used past its exp, socket or not).
 */
export class LiveConnection implements SessionEventFeed {
  readonly sessionId: string;
  readonly userId: string;
  readonly accountId: string;
  role: string;
  private readonly streams = new Set<EventQueue>();
  private readonly backlog: SessionEventMessage[] = [];
  private subscribed: (() => void)[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private isEnded = false;

  constructor(private readonly options: LiveConnectionOptions) {
    this.sessionId = options.sessionId;
    this.userId = options.userId;
    this.accountId = options.accountId;
    this.role = options.role;
  }

  get isOpen(): boolean {
    return !this.isEnded;
  }

  subscribe(): AsyncIterable<SessionEventMessage> {
    const queue = new EventQueue((done) => this.streams.delete(done));
    this.streams.add(queue);
    for (const event of this.backlog.splice(0)) queue.push(event);
    for (const resolve of this.subscribed.splice(0)) resolve();
    return queue;
  }

  /** Arms the token's timers from the injected clock's now, so a test can bring the expiry close. */
  watchTokenExpiry(clock: Clock, onExpired: () => void): void {
    const remainingMilliseconds = this.options.tokenExpiresAt.getTime() - clock.now().getTime();
    const warningMilliseconds = Math.min(TOKEN_EXPIRY_WARNING_SECONDS * 1000, remainingMilliseconds / 2);
    this.timers.push(
      setTimeout(() => this.send({ type: 'TOKEN_EXPIRING', expiresAt: this.options.tokenExpiresAt }), Math.max(0, remainingMilliseconds - warningMilliseconds)),
      setTimeout(onExpired, Math.max(0, remainingMilliseconds)),
    );
  }

  send(event: Partial<SessionEventMessage> & Pick<SessionEventMessage, 'type'>): void {
    this.deliver({ sessionId: this.sessionId, reason: null, role: null, expiresAt: null, ...event });
  }

  private deliver(message: SessionEventMessage): void {
    if (this.streams.size === 0) {
      if (this.backlog.length < MAX_BACKLOG) this.backlog.push(message);
      return;
    }
    for (const stream of this.streams) stream.push(message);
  }

  /** Sends `event` (if any) to every stream, waits briefly for it to go out, then closes the socket with `code`. */
  async end(code: CloseCode | typeof GOING_AWAY, closeReason: string, event?: SessionEventMessage): Promise<void> {
    if (this.isEnded) return;
    this.isEnded = true;
    this.clearTimers();
    if (event) {
      this.deliver(event);
      if (this.streams.size === 0) await withinDeliveryWait(new Promise<void>((resolve) => this.subscribed.push(resolve)));
      await withinDeliveryWait(Promise.all([...this.streams].map((stream) => stream.whenDelivered())));
    }
    this.options.closeSocket(code, closeReason);
    this.release();
  }

  /** The socket closed (by either side): streams end, timers stop. */
  release(): void {
    this.isEnded = true;
    this.clearTimers();
    for (const stream of [...this.streams]) stream.finish();
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }
}

async function withinDeliveryWait(delivered: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, DELIVERY_WAIT_MILLISECONDS);
  });
  await Promise.race([delivered, timeout]);
  clearTimeout(timer);
}
