import type { SessionEventMessage } from '../identity/session-event';

/**
 * One subscription's stream: events wait here until graphql-ws pulls them. The consumer asks for the
 * next event only after it has sent the previous one, so `whenDelivered` tells the connection it may
 * close the socket without the close overtaking an event on its way out.
 */
export class EventQueue implements AsyncIterableIterator<SessionEventMessage> {
  private readonly buffered: SessionEventMessage[] = [];
  private waiting: ((result: IteratorResult<SessionEventMessage>) => void) | null = null;
  private delivered: (() => void)[] = [];
  private isDone = false;

  constructor(private readonly onDone: (queue: EventQueue) => void) {}

  push(event: SessionEventMessage): void {
    if (this.isDone) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else {
      this.buffered.push(event);
    }
  }

  /** Resolves once every pushed event has been taken and the consumer is back for more (or gone). */
  whenDelivered(): Promise<void> {
    if (this.isDone || (this.waiting !== null && this.buffered.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.delivered.push(resolve));
  }

  next(): Promise<IteratorResult<SessionEventMessage>> {
    if (this.isDone) return Promise.resolve({ value: undefined, done: true });
    const event = this.buffered.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    this.settleDelivered();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<SessionEventMessage>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the stream: a waiting consumer is told it is done. */
  finish(): void {
    if (this.isDone) return;
    this.isDone = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.buffered.length = 0;
    this.settleDelivered();
    this.onDone(this);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SessionEventMessage> {
    return this;
  }

  private settleDelivered(): void {
    const settled = this.delivered;
    this.delivered = [];
    for (const resolve of settled) resolve();
  }
}
