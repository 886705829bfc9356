import type { RunnerProgress } from './progress.ts';

/**
 * A build with a working set pipelines: while Postgres writes batch N (its own transaction,
 * awaited before batch N+1's begins), batch N+1 is read and applied in memory. This holds the
 * one write in flight.
 */
export class WriteInFlight {
  #pending: Promise<boolean> | undefined;

  constructor(private readonly runner: RunnerProgress) {}

  /** Call only once `settle` has answered for the previous write. */
  start(writing: Promise<boolean>): void {
    writing.catch(() => {}); // awaited by settle()
    this.#pending = writing;
  }

  /** Waits for the write in flight: false when it lost its compare-and-set; its error when it failed. */
  async settle(): Promise<boolean> {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) return true;
    if (!(await pending)) return false;
    this.runner.consecutiveErrors = 0;
    return true;
  }

  /** Lets the write in flight end, however it ends (the lease's work is over). */
  async drain(): Promise<void> {
    await this.#pending?.catch(() => {});
  }
}
