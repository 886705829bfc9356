import {
  eventTypeFilter,
  type AllStreamSubscription,
  type KurrentDBClient,
  type Position as EsdbPosition,
} from '@kurrent/kurrentdb-client';
import { toRecordedEvent } from '../codec.ts';
import type { Position, RecordedEvent, Subscription } from '../port.ts';
import { CheckpointTracker } from './checkpoints.ts';
import { positionOf, toRawEvent } from './events.ts';
import { eventTypeRegex, positionToken, readPositionOf } from './versions.ts';

export type SubscribeClient = Pick<KurrentDBClient, 'subscribeToAll'>;

export type EsdbSubscriptionOptions = {
  from: Position;
  eventTypes?: readonly string[];
  /** Events the client may buffer ahead of the consumer. */
  batchSize: number;
  signal?: AbortSignal;
  onError: (error: Error) => void;
  onClose?: () => void;
  retryDelaysMs?: readonly number[];
};

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * A $all catch-up subscription with a server-side event-type filter. The client stream is
 * iterated with `for await`, which reads one event per pull, so the gRPC stream pauses when
 * the consumer stops pulling. A dropped connection resubscribes after the last event taken,
 * like the PostgreSQL adapter's polling loop: the consumer only sees a pause.
 */
export class EsdbSubscription implements Subscription {
  readonly #tracker: CheckpointTracker;
  #raw: AllStreamSubscription | undefined;
  /** An event is between the client stream and the consumer's next pull. */
  #holding = false;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #onAbort = (): void => void this.close();

  constructor(
    private readonly client: SubscribeClient,
    private readonly options: EsdbSubscriptionOptions,
  ) {
    this.#tracker = new CheckpointTracker(options.from);
    if (options.signal?.aborted) this.#closed = true;
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get checkpoint(): Position {
    return this.#tracker.checkpoint;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    try {
      yield* this.#follow();
    } finally {
      // Also when the consumer breaks out of its loop: nothing will pull this again.
      await this.close();
    }
  }

  async *#follow(): AsyncGenerator<RecordedEvent> {
    let failures = 0;
    while (!this.#closed) {
      const raw = this.#open();
      try {
        for await (const resolved of raw) {
          this.#holding = true;
          failures = 0;
          const position = positionOf(resolved);
          if (position !== undefined && !this.#tracker.isRedelivery(position)) {
            this.#tracker.taken(position);
            const event = toRawEvent(resolved);
            if (event) yield toRecordedEvent(event);
            if (this.#closed) return;
          }
          this.#release(raw);
        }
        if (this.#closed) return;
        this.options.onError(new Error('EventStoreDB ended the $all subscription; resubscribing'));
      } catch (error) {
        if (this.#closed) return;
        this.options.onError(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.#holding = false;
        this.#dispose(raw);
      }
      const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
      await this.#sleep(delays[Math.min(failures++, delays.length - 1)] ?? 1000);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    if (this.#raw) this.#dispose(this.#raw);
    this.options.signal?.removeEventListener('abort', this.#onAbort);
    this.options.onClose?.();
  }

  #open(): AllStreamSubscription {
    this.#tracker.dropPending();
    const raw = this.client.subscribeToAll(
      {
        fromPosition: readPositionOf(this.#tracker.lastTaken),
        resolveLinkTos: false,
        filter: eventTypeFilter({
          regex: eventTypeRegex(this.options.eventTypes),
          checkpointReached: (subscription, position) => this.#reached(subscription, position),
        }),
      },
      { highWaterMark: Math.max(1, this.options.batchSize) },
    );
    // Errors after the iteration stopped (a late cancel) must not become uncaught exceptions;
    // while iterating, `for await` sees them through its own listener.
    raw.on('error', () => {});
    this.#raw = raw;
    return raw;
  }

  /**
   * The client calls this while events pushed before the checkpoint may still sit in its
   * buffer or be on their way to the consumer (it can run inside the read that took one).
   * Apply it only once nothing is buffered and nothing is held: right away if the loop is idle
   * by the next turn, else when the loop drains the buffer.
   */
  #reached(subscription: AllStreamSubscription, position: EsdbPosition): void {
    if (subscription !== this.#raw) return;
    this.#tracker.reached(positionToken(position));
    setImmediate(() => {
      if (subscription === this.#raw && !this.#holding && subscription.readableLength === 0) this.#tracker.settle();
    });
  }

  /** The consumer came back for more: everything taken so far is handled. */
  #release(raw: AllStreamSubscription): void {
    this.#holding = false;
    if (raw.readableLength === 0) this.#tracker.settle();
  }

  #dispose(raw: AllStreamSubscription): void {
    if (this.#raw === raw) this.#raw = undefined;
    raw.unsubscribe().catch(() => {});
    raw.destroy();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
