import type { Position, RecordedEvent, Subscription } from '../port.ts';
import type { Page } from './read.ts';
import type { Wakeups } from './wakeups.ts';

export type PollingOptions = {
  from: Position;
  /** Longest wait without a wake-up hint before reading again. */
  idlePollMs: number;
  signal?: AbortSignal;
  onError: (error: Error) => void;
};

const BLOCKED_BACKOFF_MS = [1, 2, 5, 10, 20, 50];
const ERROR_BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Catch-up then live, by reading pages. While the consumer works through one page the next is
 * already being fetched (one page ahead, no more: that is the backpressure).
 */
export class PollingSubscription implements Subscription {
  #checkpoint: Position;
  #closed = false;
  #abort = new AbortController();

  constructor(
    private readonly read: (from: Position) => Promise<Page>,
    private readonly wakeups: Wakeups,
    private readonly options: PollingOptions,
  ) {
    this.#checkpoint = options.from;
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
    if (options.signal?.aborted) this.#closed = true;
  }

  get checkpoint(): Position {
    return this.#checkpoint;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    await this.wakeups.start();
    // The wake-up generation is noted when a read starts: a nudge after that means the read
    // may have missed something, so the wait after it must not sleep.
    const startRead = (from: Position) => {
      const read = { seen: this.wakeups.generation, page: this.read(from) };
      // A prefetch that fails is retried by the next round; keep it from counting as unhandled.
      read.page.catch(() => {});
      return read;
    };
    let ahead: ReturnType<typeof startRead> | undefined;
    let blockedRounds = 0;
    let errorRounds = 0;
    while (!this.#closed) {
      const current = ahead ?? startRead(this.#checkpoint);
      const seen = current.seen;
      let page: Page;
      try {
        page = await current.page;
        errorRounds = 0;
      } catch (error) {
        ahead = undefined;
        this.options.onError(error as Error);
        await this.#sleep(ERROR_BACKOFF_MS[Math.min(errorRounds++, ERROR_BACKOFF_MS.length - 1)]!);
        continue;
      }
      ahead = page.isEnd ? undefined : startRead(page.position);
      if (page.events.length > 0) blockedRounds = 0;
      for (const event of page.events) {
        if (this.#closed) return;
        this.#checkpoint = event.position;
        yield event;
      }
      if (this.#closed) return;
      this.#checkpoint = page.position;
      if (!page.isEnd) continue;
      if (page.blocked) {
        // Committed events wait behind an older transaction that may end without notifying.
        await this.wakeups.wait(seen, BLOCKED_BACKOFF_MS[Math.min(blockedRounds++, BLOCKED_BACKOFF_MS.length - 1)]!, this.#abort.signal);
      } else {
        await this.wakeups.wait(seen, this.options.idlePollMs, this.#abort.signal);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
  }
}
