import { BACKWARDS, END, FORWARDS, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { PreparedEvent } from '../codec.ts';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.ts';
import type { AppendResult, ExpectedVersion, Position } from '../port.ts';
import { isStreamNotFound, isWrongExpectedVersion } from './client-errors.ts';
import { positionOf, toEventData } from './events.ts';
import { actualVersionOf, positionToken, toStreamState, versionOfRevision } from './versions.ts';

export type AppendClient = Pick<KurrentDBClient, 'appendToStream' | 'readStream'>;

/** How far back in a stream a retried append is looked for before it counts as a conflict. */
const RETRY_LOOKBACK = 10_000;

export type StoredEvent = { version: number; position: Position };

/**
 * Whether `ids` (one append, in order) are already stored in the stream: the original
 * append's result when all are there back to back, 'partial' when only some are (a retry can
 * never succeed), null when none are (a genuine conflict).
 */
export function matchStoredAppend(ids: readonly string[], stored: ReadonlyMap<string, StoredEvent>): AppendResult | 'partial' | null {
  const found = ids.map((id) => stored.get(id));
  if (found.every((f) => f === undefined)) return null;
  let previous: StoredEvent | undefined;
  for (const event of found) {
    if (!event || (previous && event.version !== previous.version + 1)) return 'partial';
    previous = event;
  }
  return { nextVersion: previous!.version, position: previous!.position };
}

export async function appendPrepared(
  client: AppendClient,
  stream: string,
  events: readonly PreparedEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const streamState = toStreamState(expected);
  let result: Awaited<ReturnType<AppendClient['appendToStream']>>;
  try {
    result = await client.appendToStream(stream, events.map(toEventData), { streamState });
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
    // The server only recognises a retry at the exact same expected version; a retry whose
    // caller re-read the stream (or wrote with 'any' after the id cache forgot) lands here.
    const ids = events.map((e) => e.eventId);
    const found = await findStored(client, stream, new Set(ids));
    const stored = matchStoredAppend(ids, found);
    if (stored === 'partial') throw new DuplicateEventIdError(stream, [...found.keys()]);
    if (stored) return stored;
    throw new ConcurrencyError(stream, expected, actualVersionOf(error.actualState));
  }
  const revision = result.nextExpectedRevision;
  // The result's position is the whole write's; it is the last event's own $all position only
  // for a single event. Idempotent replays carry none. Read the last event back otherwise, so
  // the returned position always equals that event's RecordedEvent.position.
  if (events.length === 1 && result.position) {
    return { nextVersion: versionOfRevision(revision), position: positionToken(result.position) };
  }
  return { nextVersion: versionOfRevision(revision), position: await positionAtRevision(client, stream, revision) };
}

async function positionAtRevision(client: AppendClient, stream: string, revision: bigint): Promise<Position> {
  for await (const resolved of client.readStream(stream, { fromRevision: revision, maxCount: 1, direction: FORWARDS })) {
    const position = positionOf(resolved);
    if (position) return position;
  }
  throw new Error(`event ${revision} of ${stream} was just appended but cannot be read back with its position`);
}

/** Where the given ids sit among the newest events of the stream. */
async function findStored(client: AppendClient, stream: string, ids: ReadonlySet<string>): Promise<Map<string, StoredEvent>> {
  const stored = new Map<string, StoredEvent>();
  try {
    for await (const resolved of client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: RETRY_LOOKBACK })) {
      const event = resolved.event;
      const id = event?.id.toLowerCase();
      if (!event || !id || !ids.has(id)) continue;
      const position = positionOf(resolved);
      if (!position) throw new Error(`event ${id} of ${stream} came without a $all position (EventStoreDB older than 22.6?)`);
      stored.set(id, { version: versionOfRevision(event.revision), position });
      if (stored.size === ids.size) break;
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  return stored;
}
