import type pg from 'pg';
import Cursor from 'pg-cursor';
import { beginTransaction, type OpenTransaction } from '@reeltime/eventstore/transactions';
import type { QuerySqlToken } from 'slonik';
import type { ReadDb, ReadViews } from '../db.ts';
import { asNodePostgres } from '../prepared-statements.ts';

/** Rows fetched from Postgres per round trip: large enough to be fast, small enough to stay bounded. */
export const BATCH_ROWS = 500;

/**
 * One export's view of the read models: a single REPEATABLE READ, READ ONLY transaction on its
 * own pooled connection, so the ratings, diary and lists of one export agree with each other
 * even while the projector writes. Rows come through server-side cursors in batches, and the
 * next batch is fetched only when the previous one was consumed: memory stays bounded by the
 * batch, whatever the size of the account.
 */
export class ExportSnapshot {
  #closed: Promise<void> | undefined;

  private constructor(
    /** The views the snapshot's queries name. */
    readonly read: ReadViews,
    private readonly client: pg.PoolClient,
    private readonly transaction: OpenTransaction,
  ) {}

  /** `maxMs`: the longest the export may run; its cursors die with it even if nobody reads on. */
  static async open(db: ReadDb, maxMs: number): Promise<ExportSnapshot> {
    const client = await db.exportPool.connect();
    let transaction: OpenTransaction;
    try {
      transaction = await beginTransaction(client, { isolation: 'repeatable read', readOnly: true });
      // Postgres runs statement_timeout across all the fetches of a cursor (measured: a cursor
      // read again after the timeout fails), so the pool's 10 s, right for requests, would cut
      // a large export to a slow client short. The export's own limit applies instead.
      // application_name lets operators (and the streaming test) see exports in pg_stat_activity.
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(maxMs))}; SET LOCAL application_name = 'reeltime-export'`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return new ExportSnapshot(db.read, client, transaction);
  }

  async rows<T extends pg.QueryResultRow>(query: QuerySqlToken): Promise<T[]> {
    const { text, values } = asNodePostgres(query);
    return (await this.client.query<T>(text, values)).rows;
  }

  /** The rows of `text` in batches of at most `size`; the cursor is closed however the loop ends. */
  async *batches<T extends pg.QueryResultRow>(query: QuerySqlToken, size = BATCH_ROWS): AsyncGenerator<T[]> {
    const { text, values } = asNodePostgres(query);
    const cursor = this.client.query(new Cursor<T>(text, values));
    try {
      for (;;) {
        const rows = await cursor.read(size);
        if (rows.length === 0) return;
        yield rows;
      }
    } finally {
      await cursor.close();
    }
  }

  /** Ends the transaction and returns the connection; a connection in doubt is discarded. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.transaction.rollback().then(
      () => this.client.release(),
      (error: Error) => this.client.release(error),
    );
    return this.#closed;
  }
}
