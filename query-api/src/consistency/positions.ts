import { START_POSITION } from '@reeltime/eventstore/positions';
import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { type ReadDb, readQuery } from '../db.ts';

export type ProjectionName = 'catalog' | 'activity' | 'recommendations' | 'imports';
export const ALL_PROJECTIONS: readonly ProjectionName[] = ['catalog', 'activity', 'recommendations'];

type Known = { version: number; position: string };
type Waiter = { projections: readonly ProjectionName[]; min: string; resolve: (reached: boolean) => void };

export type PositionTrackerOptions = {
  /** Re-read of the positions table while requests wait (NATS notices may be lost). */
  waitingFallbackMs?: number;
  /** Re-read when nobody waits, so `X-Position` stays fresh even without NATS. */
  idleRefreshMs?: number;
};

/**
 * The latest known position of every projection, for `X-Position` and `X-Min-Position`.
 *
 * Known positions only ever come from the positions table or from the projector's notices,
 * which it publishes after committing, so they are never ahead of what a query will see: an
 * answer read after looking one up is at least that fresh. One NATS subscription per process
 * wakes every waiting request; the table is re-read when a notice shows a waiter's target is
 * reached (one read, shared by all waiters) and on a slow timer, never in a loop per request.
 */
export class PositionTracker {
  readonly #known = new Map<string, Known>();
  readonly #waiters = new Set<Waiter>();
  #subscription: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastRefresh = 0;
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  readonly #waitingFallbackMs: number;
  readonly #idleRefreshMs: number;

  constructor(
    private readonly db: ReadDb,
    private readonly log: Logger,
    options: PositionTrackerOptions = {},
  ) {
    this.#waitingFallbackMs = options.waitingFallbackMs ?? 250;
    this.#idleRefreshMs = options.idleRefreshMs ?? 5000;
  }

  async start(nats: NatsConnection | undefined, subjectPrefix: string): Promise<void> {
    await this.refresh().catch((error: unknown) => this.log.warn({ err: error }, 'reading projection positions'));
    if (nats) {
      this.#subscription = nats.subscribe(`${subjectPrefix}.position.>`, {
        callback: (error, message) => {
          if (error) return;
          try {
            this.#notice(message.json<{ projection: string; version: number; position: string }>());
          } catch {
            // not a notice of ours
          }
        },
      });
    }
    this.#timer = setInterval(() => this.#tick(), Math.min(this.#waitingFallbackMs, this.#idleRefreshMs));
    this.#timer.unref();
  }

  stop(): void {
    this.#subscription?.unsubscribe();
    clearInterval(this.#timer);
    for (const waiter of this.#waiters) waiter.resolve(false);
    this.#waiters.clear();
  }

  /** The lowest known position among `projections` (a projection not serving yet counts as the start). */
  current(projections: readonly ProjectionName[] = ALL_PROJECTIONS): string {
    let lowest: string | undefined;
    for (const name of projections) {
      const position = this.#known.get(name)?.position ?? START_POSITION;
      if (lowest === undefined || position < lowest) lowest = position;
    }
    return lowest ?? START_POSITION;
  }

  reached(projections: readonly ProjectionName[], min: string): boolean {
    return this.current(projections) >= min;
  }

  /** Resolves true once every projection is at `min` or later, false after `timeoutMs`. */
  async waitFor(projections: readonly ProjectionName[], min: string, timeoutMs: number): Promise<boolean> {
    if (this.reached(projections, min)) return true;
    // The notice may have been missed (NATS down, or it came before this process started).
    await this.refresh().catch(() => {});
    if (this.reached(projections, min) || timeoutMs <= 0) return this.reached(projections, min);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const waiter: Waiter = { projections, min, resolve: (reached) => done(reached) };
      const done = (reached: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(reached);
      };
      this.#waiters.add(waiter);
    });
  }

  get waiting(): number {
    return this.#waiters.size;
  }

  /** One read of the positions table at a time; callers during a read share the next one. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          this.#lastRefresh = Date.now();
          const rows = await this.db.any<{ projection: string; version: number; position: string }>(
            readQuery`SELECT projection, version, position FROM ${this.db.read.projection_positions}`,
          );
          for (const row of rows) this.#known.set(row.projection, { version: row.version, position: row.position });
          this.#wake();
        } while (this.#refreshAgain);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  #notice(notice: { projection: string; version: number; position: string }): void {
    if (typeof notice?.projection !== 'string' || typeof notice.position !== 'string') return;
    const known = this.#known.get(notice.projection);
    if (known === undefined || known.version !== notice.version) {
      // A new version was swapped in (or a projection started serving): take the table's word.
      void this.refresh().catch(() => {});
      return;
    }
    if (notice.position <= known.position) return;
    known.position = notice.position;
    if (this.#waiters.size > 0 && [...this.#waiters].some((w) => this.reached(w.projections, w.min))) {
      void this.refresh().catch(() => {});
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters) if (this.reached(waiter.projections, waiter.min)) waiter.resolve(true);
  }

  #tick(): void {
    const since = Date.now() - this.#lastRefresh;
    const due = this.#waiters.size > 0 ? since >= this.#waitingFallbackMs : since >= this.#idleRefreshMs;
    if (due) void this.refresh().catch((error: unknown) => this.log.debug({ err: error }, 'reading projection positions'));
  }
}
