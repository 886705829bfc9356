import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Notice } from '../model/notices.ts';
import { ident, type Queryable, type TableSpec } from '../model/sql.ts';

export type LiveUpdate = Notice & { projection: string };

/**
 * A live update as published on NATS: `stream` names this publisher (one per projector
 * process) and `seq` numbers its updates 1, 2, 3... with no gaps, so a subscriber that sees a
 * number skipped, or a stream it does not know, knows it missed something and reads the
 * live-update log before it passes anything newer on (query-api's LiveHub).
 */
export type PublishedUpdate = LiveUpdate & { stream: string; seq: number };

/** What a runner publishes through (a runner in a worker thread hands its notices to the main thread's publisher). */
export type LiveSink = Pick<LivePublisher, 'publish' | 'publishPosition'>;

/** A building generation's notices, held back until its swap moves them into live_updates. */
export const PENDING_LIVE_UPDATES: TableSpec<Notice> = {
  table: 'pending_live_updates',
  columns: ['channel', 'position', 'data'],
  key: ['channel', 'position'],
};

/** Writes a batch's notices in its transaction; the serving version's rows are the backfill log. */
export async function insertLiveUpdates(db: Queryable, core: string, projection: string, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  await db.query(
    `INSERT INTO ${ident(core)}.live_updates (channel, position, data, projection)
     SELECT channel, position, data, $2 FROM json_to_recordset($1::json) AS n(channel text, position text, data jsonb)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(notices), projection],
  );
}

/**
 * NATS side of the live notices. A hint only: when NATS is down the projector carries on and
 * the query side finds every change in live_updates, so publishing never blocks or throws.
 * While disconnected nothing is sent (no stale burst on reconnection), but every update still
 * takes its sequence number: the first one query-api receives afterwards shows the gap, and
 * query-api reads the log before passing it on. Without that, a newer update could reach a
 * socket over NATS before an older one reached it from the log, and a session drops what is
 * older than what it sent (the NATS drill lost 16 updates in 3,000 so when this projector
 * reconnected before query-api had subscribed again).
 */
export class LivePublisher {
  #connection: NatsConnection | undefined;
  #online = false;
  #closed = false;
  readonly #encoder = new TextEncoder();
  readonly #stream = randomUUID();
  #seq = 0;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  /** Connects in the background, retrying for ever. */
  start(): void {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    while (!this.#closed) {
      try {
        // Pings every 10 s: a server gone without closing the connection is noticed within ~30 s.
        const connection = await connect({
          servers: this.url,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          pingInterval: 10_000,
          maxPingOut: 2,
          name: 'reeltime-projector',
        });
        if (this.#closed) {
          await connection.close();
          return;
        }
        this.#connection = connection;
        this.#online = true;
        this.log.info({ nats: this.url }, 'connected to NATS');
        void this.#watch(connection);
        return;
      } catch (error) {
        this.log.warn({ err: error, nats: this.url }, 'NATS unreachable; live notices wait in live_updates');
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  /** The loss and return of the connection, logged. */
  async #watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        this.#online = false;
        this.log.warn({ nats: this.url }, 'NATS connection lost: live updates wait in live_updates, where query-api reads them');
      } else if (status.type === 'reconnect') {
        this.#online = true;
        this.log.info({ nats: this.url }, 'NATS reconnected: publishing live updates again');
      }
    }
  }

  get connected(): boolean {
    return this.#online && this.#connection !== undefined && !this.#connection.isClosed();
  }

  publish(updates: readonly LiveUpdate[]): void {
    for (const update of updates) {
      const published: PublishedUpdate = { ...update, stream: this.#stream, seq: ++this.#seq };
      if (this.connected) this.#send(`${this.prefix}.live.${update.channel}`, published);
    }
  }

  publishPosition(projection: string, version: number, position: string): void {
    this.#send(`${this.prefix}.position.${projection}`, { projection, version, position });
  }

  #send(subject: string, body: unknown): void {
    const connection = this.#connection;
    if (connection === undefined || connection.isClosed()) return;
    try {
      connection.publish(subject, this.#encoder.encode(JSON.stringify(body)));
    } catch (error) {
      this.log.warn({ err: error, subject }, 'NATS publish failed');
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined && !connection.isClosed()) await connection.drain().catch(() => {});
  }
}
