import type { Logger } from 'pino';
import { sql } from 'slonik';
import { ALL_PROJECTIONS } from '../consistency/positions.ts';
import { type ReadDb, readQuery } from '../db.ts';
import type { LiveUpdate } from './update.ts';

/** A logged update with the projection that wrote it (`read.live_updates` keeps both). */
export type LoggedUpdate = LiveUpdate & { projection: string };

export type LogPollerOptions = {
  /** While NATS is away (or not configured): how often the log is read. */
  fastMs: number;
  /** While NATS is up: a catch-up for anything it lost (a reconnection's gap, a dropped message). */
  slowMs: number;
  /** Rows one poll reads at most; the rest come with the next poll. */
  pageSize: number;
};

export const DEFAULT_LOG_POLLER: LogPollerOptions = { fastMs: 200, slowMs: 1000, pageSize: 2000 };

/**
 * Reads the live-update log (`read.live_updates`): often while NATS is away, in its place, and
 * now and then while it is up, to catch what it lost (the projector reconnecting after
 * query-api, say). One query per poll for every channel someone watches on this instance,
 * whatever the number of sockets. A cursor per projection, because each projection commits its updates in position
 * order but the projections commit independently: one of them may log a lower position after
 * another logged a higher one. Sessions drop what they already sent, so a row read twice (or
 * also from NATS) is harmless; a row skipped would be lost, hence cursors only move past rows read.
 */
export class LiveLogPoller {
  readonly #cursors = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  /** The poll under way, if any; it resolves to the number of rows it read. */
  #inFlight: Promise<number> | undefined;
  #failures = 0;

  constructor(
    private readonly db: ReadDb,
    private readonly log: Logger,
    private readonly channels: () => string[],
    private readonly route: (update: LoggedUpdate) => void,
    private readonly options: LogPollerOptions = DEFAULT_LOG_POLLER,
  ) {}

  /** Fast polling (NATS away) or slow (NATS up). */
  fast = true;

  /** Starts after each projection's position `from` gives (what the read models had when this instance started). */
  start(from: (projection: string) => string): void {
    if (this.#timer !== undefined) return;
    for (const projection of ALL_PROJECTIONS) this.#cursors.set(projection, from(projection));
    let last = 0;
    this.#timer = setInterval(() => {
      if (!this.fast && Date.now() - last < this.options.slowMs) return;
      last = Date.now();
      void this.#poll();
    }, this.options.fastMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Reads the log until it is read up to now: every update committed before this call has been
   * routed when it resolves (also when a read fails, which is logged).
   */
  async catchUp(): Promise<void> {
    // A poll that began before this call may have missed what committed just before it.
    await this.#inFlight;
    let read: number;
    do read = await this.#poll();
    while (read === this.options.pageSize);
  }

  /** Starts a poll, or joins the one under way. */
  #poll(): Promise<number> {
    this.#inFlight ??= this.#read().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #read(): Promise<number> {
    const channels = this.channels();
    if (channels.length === 0) return 0;
    try {
      const projections = [...this.#cursors.keys()];
      const after = projections.map((p) => this.#cursors.get(p)!);
      const rows = await this.db.any<LoggedUpdate>(
        readQuery`SELECT u.channel, u.position, u.data, u.projection
           FROM ${this.db.read.live_updates} u
           JOIN unnest(${sql.array(projections, 'text')}, ${sql.array(after, 'text')}) AS c(projection, after)
             ON u.projection = c.projection AND u.position > c.after
          WHERE u.channel = ANY(${sql.array(channels, 'text')})
          ORDER BY u.position, u.channel
          LIMIT ${this.options.pageSize}`,
      );
      // A full page may have cut a position's rows in two: those are read again next time.
      const cut = rows.length === this.options.pageSize ? rows.at(-1)!.position : undefined;
      for (const row of rows) {
        if (row.position === cut && rows[0]!.position !== cut) break;
        this.route(row);
        if (row.position > this.#cursors.get(row.projection)!) this.#cursors.set(row.projection, row.position);
      }
      this.#failures = 0;
      return rows.length;
    } catch (error) {
      // The database may be away too; a line per failure would flood the log.
      if (this.#failures++ % 25 === 0) this.log.warn({ err: error }, 'reading live_updates failed');
      return 0;
    }
  }
}
