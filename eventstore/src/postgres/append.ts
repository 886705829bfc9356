import type pg from 'pg';
import type { PreparedEvent } from '../codec.ts';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.ts';
import type { AppendResult, ExpectedVersion } from '../port.ts';
import { encodePosition } from '../positions.ts';

/** Anything that runs a query: the pool (autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

type AppendRow = { next_version: number; transaction_id: string | null; last_position: string | null };
type StoredRow = { event_id: string; stream_id: string; version: number; tx: string; gp: string };

/** How append_events() reads the expected version (see 001_events.sql). */
export function expectedVersionCode(expected: ExpectedVersion): number {
  if (expected === 'any') return -1;
  if (expected === 'stream_exists') return -2;
  if (expected === 'no_stream') return 0;
  if (!Number.isSafeInteger(expected) || expected < 0 || expected > 2_147_483_647) {
    throw new RangeError(`expectedVersion must be a version >= 0, 'no_stream', 'stream_exists' or 'any'; got ${expected}`);
  }
  return expected;
}

export async function appendEvents(
  db: Queryable,
  stream: string,
  events: readonly PreparedEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const payload = JSON.stringify(events.map((e) => ({ event_id: e.eventId, type: e.type, data: e.data, metadata: e.metadata })));
  let row: AppendRow;
  try {
    const result = await db.query<AppendRow>({
      name: 'reeltime_append_events',
      text: 'SELECT next_version, transaction_id, last_position FROM append_events($1, $2, $3)',
      values: [stream, expectedVersionCode(expected), payload],
    });
    row = result.rows[0]!;
  } catch (error) {
    // Another append already stored one of these ids: a retry of the same append succeeds.
    if ((error as { constraint?: string }).constraint === 'events_event_id') {
      return (await alreadyStored(db, stream, events)) ?? throwDuplicate(db, stream, events);
    }
    throw error;
  }
  if (row.transaction_id === null || row.last_position === null) {
    const stored = await alreadyStored(db, stream, events);
    if (stored) return stored;
    throw new ConcurrencyError(stream, expected, row.next_version);
  }
  return { nextVersion: row.next_version, position: encodePosition(row.transaction_id, row.last_position) };
}

/** The result of the original append when every event of this one is already in the stream, in order. */
async function alreadyStored(db: Queryable, stream: string, events: readonly PreparedEvent[]): Promise<AppendResult | null> {
  const rows = await storedRows(db, events);
  if (rows.length !== events.length) return null;
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  let previous: StoredRow | undefined;
  for (const event of events) {
    const row = byId.get(event.eventId);
    if (!row || row.stream_id !== stream || (previous && row.version !== previous.version + 1)) return null;
    previous = row;
  }
  return { nextVersion: previous!.version, position: encodePosition(previous!.tx, previous!.gp) };
}

async function throwDuplicate(db: Queryable, stream: string, events: readonly PreparedEvent[]): Promise<never> {
  const rows = await storedRows(db, events);
  throw new DuplicateEventIdError(
    stream,
    rows.map((r) => r.event_id),
  );
}

async function storedRows(db: Queryable, events: readonly PreparedEvent[]): Promise<StoredRow[]> {
  const { rows } = await db.query<StoredRow>(
    `SELECT event_id::text, stream_id, version, transaction_id::text AS tx, global_position::text AS gp
       FROM events WHERE event_id = ANY($1::uuid[])`,
    [events.map((e) => e.eventId)],
  );
  return rows;
}

export type StreamAppend = { stream: string; events: readonly PreparedEvent[]; expected: ExpectedVersion };

/**
 * Appends to many streams in one statement (one round trip however many streams), each with
 * its own expected version, through the same append_events() as a single append. Run it in a
 * transaction: a conflict on any stream throws ConcurrencyError, and a reused event id the
 * database's unique violation, after the earlier streams were written, so only a rollback
 * keeps the batch all-or-nothing.
 */
export async function appendToStreams(db: Queryable, appends: readonly StreamAppend[]): Promise<AppendResult[]> {
  const payload = JSON.stringify(
    appends.map((a) => ({
      stream: a.stream,
      expected: expectedVersionCode(a.expected),
      events: a.events.map((e) => ({ event_id: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
    })),
  );
  const { rows } = await db.query<AppendRow & { ord: string }>({
    name: 'reeltime_append_to_streams',
    text: `SELECT a.ord::text AS ord, r.next_version, r.transaction_id, r.last_position
             FROM ROWS FROM (json_to_recordset($1) AS (stream text, expected integer, events json)) WITH ORDINALITY AS a(stream, expected, events, ord)
             CROSS JOIN LATERAL append_events(a.stream, a.expected, a.events) AS r
            ORDER BY a.ord`,
    values: [payload],
  });
  return rows.map((row, index) => {
    const { stream, expected } = appends[index]!;
    if (row.transaction_id === null || row.last_position === null) throw new ConcurrencyError(stream, expected, row.next_version);
    return { nextVersion: row.next_version, position: encodePosition(row.transaction_id, row.last_position) };
  });
}
