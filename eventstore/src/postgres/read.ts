import { toRecordedEvent, type StoredMetadata } from '../codec.ts';
import type { EventCount, Position, RecordedEvent } from '../port.ts';
import { START_POSITION, comparePositions, decodePosition, encodePosition } from '../positions.ts';
import type { Queryable } from './append.ts';

// Aliased so that ORDER BY transaction_id, global_position sorts the numbers, not these texts.
const COLUMNS = `transaction_id::text AS tx, global_position::text AS gp, stream_id, version, event_id::text, type, data, metadata`;
type Row = [string, string, string, number, string, string, unknown, StoredMetadata];

function toEvent([tx, gp, streamId, version, eventId, type, data, metadata]: Row): RecordedEvent {
  return toRecordedEvent({ streamId, version, position: encodePosition(tx, gp), eventId, type, data, metadata });
}

export async function readStreamEvents(db: Queryable, stream: string, fromVersion: number, limit: number): Promise<RecordedEvent[]> {
  const { rows } = await db.query<Row>({
    name: 'reeltime_read_stream',
    text: `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
    values: [stream, fromVersion, limit],
    rowMode: 'array',
  });
  return rows.map(toEvent);
}

export async function readStreamVersion(db: Queryable, stream: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>({
    name: 'reeltime_stream_version',
    text: 'SELECT version FROM streams WHERE stream_id = $1',
    values: [stream],
  });
  return rows[0]?.version ?? 0;
}

export type Page = {
  events: RecordedEvent[];
  position: Position;
  isEnd: boolean;
  /** Committed events exist that a still-running older transaction hides for now. */
  blocked: boolean;
};

/**
 * One page of the global order after `from`. Only rows of transactions older than every
 * transaction still running are read: a transaction that started earlier but commits later
 * would otherwise land behind a checkpoint and be skipped forever.
 */
export async function readPage(db: Queryable, from: Position, limit: number, eventTypes?: readonly string[]): Promise<Page> {
  const {
    rows: [horizon],
  } = await db.query<{ xmin: string; blocked: boolean }>({
    name: 'reeltime_horizon',
    text: `SELECT x::text AS xmin, coalesce((SELECT max(transaction_id) FROM events) >= x, false) AS blocked
             FROM pg_snapshot_xmin(pg_current_snapshot()) AS x`,
  });
  const [tx, gp] = decodePosition(from);
  const filtered = eventTypes !== undefined && eventTypes.length > 0;
  const { rows } = await db.query<Row>({
    name: filtered ? 'reeltime_read_all_types' : 'reeltime_read_all',
    text: `SELECT ${COLUMNS} FROM events
            WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND transaction_id < $3::text::xid8
            ${filtered ? 'AND type = ANY($5::text[])' : ''}
            ORDER BY transaction_id, global_position LIMIT $4`,
    values: filtered
      ? [tx.toString(), gp.toString(), horizon!.xmin, limit, eventTypes]
      : [tx.toString(), gp.toString(), horizon!.xmin, limit],
    rowMode: 'array',
  });
  const events = rows.map(toEvent);
  const isEnd = rows.length < limit;
  let position = events.at(-1)?.position ?? from;
  // A filtered reader that reached the horizon has seen every older event, matching or not.
  if (filtered && isEnd) {
    const horizonPosition = encodePosition(horizon!.xmin, 0);
    if (horizonPosition > position) position = horizonPosition;
  }
  return { events, position, isEnd, blocked: horizon!.blocked };
}

export async function readHeadPosition(db: Queryable): Promise<Position> {
  const { rows } = await db.query<{ tx: string; gp: string }>({
    name: 'reeltime_head',
    text: `SELECT transaction_id::text AS tx, global_position::text AS gp FROM events
            WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  });
  const row = rows[0];
  return row ? encodePosition(row.tx, row.gp) : START_POSITION;
}

export async function readLastAppendedPosition(db: Queryable): Promise<Position> {
  const { rows } = await db.query<{ tx: string; gp: string }>({
    name: 'reeltime_last_appended',
    text: `SELECT transaction_id::text AS tx, global_position::text AS gp FROM events
            ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  });
  const row = rows[0];
  return row ? encodePosition(row.tx, row.gp) : START_POSITION;
}

/**
 * Events after `from` up to `to`, counted through the primary key up to `exactUpTo` rows. A
 * longer range is estimated: the rows counted, plus the distance in the global sequence from
 * the last of them to `to` (gaps left by rolled-back appends make that an overestimate).
 */
export async function countEvents(db: Queryable, from: Position, to: Position, exactUpTo: number): Promise<EventCount> {
  if (comparePositions(from, to) >= 0) return { count: 0, exact: true };
  const [fromTx, fromGp] = decodePosition(from);
  const [toTx, toGp] = decodePosition(to);
  const { rows } = await db.query<{ n: number; last: string | null }>({
    name: 'reeltime_count_between',
    text: `SELECT count(*)::int AS n, max(global_position)::text AS last FROM (
             SELECT global_position FROM events
              WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
                AND (transaction_id, global_position) <= ($3::text::xid8, $4::bigint)
              ORDER BY transaction_id, global_position LIMIT $5) AS counted`,
    values: [fromTx.toString(), fromGp.toString(), toTx.toString(), toGp.toString(), exactUpTo + 1],
  });
  const { n, last } = rows[0]!;
  if (n <= exactUpTo) return { count: n, exact: true };
  const beyond = toGp - BigInt(last!);
  return { count: n + (beyond > 0n ? Number(beyond) : 0), exact: false };
}

/** Several whole streams in one query, each in version order (absent streams map to []). */
export async function readStreamsEvents(db: Queryable, streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
  const result = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
  if (streams.length === 0) return result;
  const { rows } = await db.query<Row>({
    name: 'reeltime_read_streams',
    text: `SELECT ${COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, version`,
    values: [[...new Set(streams)]],
    rowMode: 'array',
  });
  for (const row of rows) result.get(row[2])!.push(toEvent(row));
  return result;
}
