import pg from 'pg';

export const CHANNEL = 'reeltime_events';

/**
 * Wake-up hints for subscriptions: NOTIFY from appends in any process, plus a direct nudge from
 * appends made through this process. Only a hint: readers always re-query the store, and poll
 * when no hint comes, so a lost notification costs latency, never an event.
 *
 * NOTIFY inside every append transaction would serialize commits on PostgreSQL's notify queue
 * lock (it halved single-append throughput), so autocommitted appends announce themselves after
 * commit instead, coalesced to one NOTIFY in flight per process.
 */
export class Wakeups {
  #announcing = false;
  #announceAgain = false;
  #generation = 0;
  #waiters = new Set<() => void>();
  #listener: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly connect: () => pg.Client,
    private readonly schema: string,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Increases whenever something may have been appended; compare before and after a read. */
  get generation(): number {
    return this.#generation;
  }

  nudge(): void {
    this.#generation++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Tells other processes that something was committed (coalesced, never throws). */
  announce(notify: () => Promise<unknown>): void {
    if (this.#announcing) {
      this.#announceAgain = true;
      return;
    }
    this.#announcing = true;
    notify()
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.#announcing = false;
        if (this.#announceAgain && !this.#closed) {
          this.#announceAgain = false;
          this.announce(notify);
        }
      });
  }

  /** Makes sure NOTIFY is being listened to; reconnects in the background when the connection drops. */
  start(): Promise<void> {
    if (this.#closed || this.#listener) return Promise.resolve();
    this.#connecting ??= this.#listen().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async #listen(): Promise<void> {
    const client = this.connect();
    client.on('notification', (message) => {
      if (message.payload === this.schema) this.nudge();
    });
    client.on('error', (error) => {
      this.onError(error);
      if (this.#listener === client) this.#listener = undefined;
      client.end().catch(() => {});
      if (!this.#closed) setTimeout(() => void this.start().catch(() => {}), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      client.end().catch(() => {});
      this.onError(error as Error);
      if (!this.#closed) setTimeout(() => void this.start().catch(() => {}), 1000).unref();
      return;
    }
    if (this.#closed) {
      await client.end();
      return;
    }
    this.#listener = client;
    // Anything appended while we were not listening is found by the next read.
    this.nudge();
  }

  /** Resolves on the next nudge after `seen`, after `timeoutMs`, or when `signal` aborts. */
  wait(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#generation !== seen || this.#closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.nudge();
    await this.#connecting;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end();
  }
}
