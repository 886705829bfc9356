import { BACKWARDS, END, FORWARDS, eventTypeFilter, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { toRecordedEvent } from '../codec.ts';
import type { Position, ReadAllOptions, ReadAllResult, RecordedEvent } from '../port.ts';
import { START_POSITION, comparePositions } from '../positions.ts';
import { isStreamNotFound } from './client-errors.ts';
import { positionOf, toRawEvent } from './events.ts';
import { eventTypeRegex, readPositionOf, revisionOfVersion, versionOfRevision } from './versions.ts';

export type ReadClient = Pick<KurrentDBClient, 'readAll' | 'readStream'>;

export const DEFAULT_PAGE = 1000;

export async function readStreamEvents(client: ReadClient, stream: string, fromVersion = 1, limit?: number): Promise<RecordedEvent[]> {
  if (limit !== undefined && limit < 1) return [];
  const events: RecordedEvent[] = [];
  try {
    const reading = client.readStream(stream, {
      fromRevision: revisionOfVersion(fromVersion),
      maxCount: limit === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(limit),
      direction: FORWARDS,
    });
    for await (const resolved of reading) {
      const raw = toRawEvent(resolved);
      if (raw) events.push(toRecordedEvent(raw));
    }
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
  return events;
}

export async function readStreamVersion(client: ReadClient, stream: string): Promise<number> {
  try {
    for await (const resolved of client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
      if (resolved.event) return versionOfRevision(resolved.event.revision);
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  return 0;
}

/**
 * One page of $all after `from` (exclusive). The event-type filter runs on the server, which
 * only returns matches, so `position` is the last event returned. A filtered reader that
 * reached the end has, however, seen everything up to the log's end as it stood before the
 * read began (the log only grows at its end), so it may continue from there instead of having
 * the server rescan a long run of other types on every poll.
 */
export async function readAllPage(client: ReadClient, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const pageSize = Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE));
  const from = options.from ?? START_POSITION;
  const filtered = options.eventTypes !== undefined && options.eventTypes.length > 0;
  const horizon = filtered ? await readLastPosition(client) : undefined;
  const events: RecordedEvent[] = [];
  let position = from;
  let scanned = 0;
  let more = false;
  const reading = client.readAll({
    fromPosition: readPositionOf(from),
    // +1: the event at `from` itself comes back (a read starts AT a position); +1 to learn
    // whether anything lies beyond this page without a second round trip.
    maxCount: pageSize + 2,
    direction: FORWARDS,
    filter: eventTypeFilter({ regex: eventTypeRegex(options.eventTypes) }),
  });
  for await (const resolved of reading) {
    const at = positionOf(resolved);
    if (at === undefined || comparePositions(at, from) <= 0) continue;
    if (scanned === pageSize) {
      more = true;
      break;
    }
    scanned += 1;
    position = at;
    const raw = toRawEvent(resolved);
    if (raw) events.push(toRecordedEvent(raw));
  }
  if (!more && horizon !== undefined && comparePositions(horizon, position) > 0) position = horizon;
  return { events, position, isEnd: !more };
}

/** The position of the last record in $all, system events included. */
async function readLastPosition(client: ReadClient): Promise<Position> {
  for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) {
    const position = positionOf(resolved);
    if (position) return position;
  }
  return START_POSITION;
}

/** The newest product event's position; system events after it are not "visible" here. */
export async function readHeadPosition(client: ReadClient): Promise<Position> {
  const reading = client.readAll({
    fromPosition: END,
    direction: BACKWARDS,
    maxCount: 1000,
    filter: eventTypeFilter({ regex: eventTypeRegex(undefined) }),
  });
  for await (const resolved of reading) {
    if (toRawEvent(resolved)) return positionOf(resolved)!;
  }
  return START_POSITION;
}

/** One tiny read: resolves when the server answers, rejects when it cannot be reached. */
export async function pingServer(client: ReadClient): Promise<void> {
  await readLastPosition(client);
}
