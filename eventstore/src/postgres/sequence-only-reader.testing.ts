import type pg from 'pg';
import { toRecordedEvent, type StoredMetadata } from '../codec.ts';
import type { Position, RecordedEvent } from '../port.ts';
import { decodePosition, encodePosition } from '../positions.ts';

/**
 * The classic bug, kept only to prove the torture test catches it: ordering and checkpointing
 * by the sequence alone. A transaction that took a lower number but commits later lands behind
 * the checkpoint and is never read.
 */
export class SequenceOnlyReader implements AsyncIterable<RecordedEvent> {
  #closed = false;
  #lastSequence: bigint;

  constructor(
    private readonly pool: pg.Pool,
    from: Position | undefined,
  ) {
    this.#lastSequence = from ? decodePosition(from)[1] : 0n;
  }

  get checkpoint(): Position {
    return encodePosition(0, this.#lastSequence);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    while (!this.#closed) {
      const { rows } = await this.pool.query<{
        gp: string;
        stream_id: string;
        version: number;
        event_id: string;
        type: string;
        data: unknown;
        metadata: StoredMetadata;
      }>(
        `SELECT global_position::text AS gp, stream_id, version, event_id::text, type, data, metadata
           FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 100`,
        [this.#lastSequence.toString()],
      );
      for (const row of rows) {
        this.#lastSequence = BigInt(row.gp);
        yield toRecordedEvent({ ...row, streamId: row.stream_id, eventId: row.event_id, position: this.checkpoint });
        if (this.#closed) return;
      }
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 2));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
