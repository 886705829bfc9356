import type { Position, RecordedEvent, Subscription } from '@reeltime/eventstore';

export type Batch = {
  events: RecordedEvent[];
  /** Where the consumer may checkpoint after this batch (past filtered-out events too). */
  checkpoint: Position;
  /** True when the size limit closed the batch, i.e. more events were waiting. */
  full: boolean;
};

const TIMEOUT = Symbol('timeout');

function within<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | typeof TIMEOUT> {
  if (signal.aborted || ms <= 0) return Promise.resolve(TIMEOUT);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => (done(), resolve(TIMEOUT));
    const timer = setTimeout(() => (done(), resolve(TIMEOUT)), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (done(), resolve(value)),
      (error: unknown) => (done(), reject(error)),
    );
  });
}

/** TIMEOUT after `ms` or on abort, whichever comes first, until cancelled. */
function timeout(ms: number, signal: AbortSignal): { promise: Promise<typeof TIMEOUT>; cancel: () => void } {
  let cancel = () => {};
  const promise = new Promise<typeof TIMEOUT>((resolve) => {
    const fire = () => (cancel(), resolve(TIMEOUT));
    const timer = setTimeout(fire, ms);
    signal.addEventListener('abort', fire, { once: true });
    cancel = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', fire);
    };
    if (signal.aborted) fire();
  });
  return { promise, cancel };
}

/**
 * Cuts a subscription into batches of at most `size` events, closed `ms` after their first
 * event, or as soon as no further event arrives within `lingerMs`: on the live path nothing else
 * is usually waiting, and holding a lone event back for the whole window would add that window
 * to every live update's latency. A pull that outlives a batch is kept for the next one, so no
 * event is dropped.
 */
export class BatchReader {
  readonly #iterator: AsyncIterator<RecordedEvent>;
  #pending: Promise<IteratorResult<RecordedEvent>> | undefined;

  constructor(
    private readonly subscription: Subscription,
    private readonly size: number,
    private readonly ms: number,
    private readonly lingerMs = ms,
  ) {
    this.#iterator = subscription[Symbol.asyncIterator]();
  }

  /**
   * Waits up to `idleMs` for a first event; returns an empty batch if none came (or on abort).
   * `size`, `ms` and `lingerMs` override the reader's limits for this batch (a build's catch-up
   * batches fill up to their size instead of closing when a page read is still on its way).
   */
  async next(idleMs: number, signal: AbortSignal, size = this.size, ms = this.ms, lingerMs = this.lingerMs): Promise<Batch> {
    const events: RecordedEvent[] = [];
    let deadline = 0;
    // Lingering for the whole window (catching up), a batch's only limit after its first event
    // is the window: one timer for the batch instead of one per event.
    let window: ReturnType<typeof timeout> | undefined;
    try {
      while (events.length < size) {
        this.#pending ??= this.#iterator.next();
        const result =
          window !== undefined
            ? await Promise.race([this.#pending, window.promise])
            : await within(this.#pending, events.length === 0 ? idleMs : Math.min(deadline - performance.now(), lingerMs), signal);
        if (result === TIMEOUT) break;
        this.#pending = undefined;
        if (result.done) break;
        events.push(result.value);
        if (events.length === 1) {
          deadline = performance.now() + ms;
          if (lingerMs >= ms) window = timeout(ms, signal);
        }
      }
    } finally {
      window?.cancel();
    }
    // Read right after the last pull settled (no await in between): the subscription has then
    // yielded exactly `events`, and its checkpoint lies at or after the last of them and
    // before anything not yet yielded, even with a pull still pending.
    return { events, checkpoint: this.subscription.checkpoint, full: events.length >= size };
  }

  async close(): Promise<void> {
    await this.subscription.close();
  }
}
