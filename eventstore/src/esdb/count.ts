import { FORWARDS, eventTypeFilter } from '@kurrent/kurrentdb-client';
import type { EventCount, Position } from '../port.ts';
import { comparePositions } from '../positions.ts';
import { positionOf } from './events.ts';
import type { ReadClient } from './read.ts';
import { eventTypeRegex, readPositionOf } from './versions.ts';

/** Events read through before estimating: a count has to read the events themselves. */
export const EXACT_COUNT_LIMIT = 1000;

/** The commit part of a token: a byte offset in the server's transaction log. */
const logOffset = (position: Position): bigint => {
  const read = readPositionOf(position);
  return typeof read === 'object' ? read.commit : 0n;
};

/**
 * Events after `from` up to `to`, system events excluded. EventStoreDB has no count and its
 * positions are byte offsets in its log, so the events are read (at most `exactUpTo` of them);
 * past that the rest is estimated from the bytes still to go at the average size of the events
 * just read, and the answer says so.
 */
export async function countEvents(client: ReadClient, from: Position, to: Position, limit = EXACT_COUNT_LIMIT): Promise<EventCount> {
  const exactUpTo = Math.max(1, Math.floor(limit));
  if (comparePositions(from, to) >= 0) return { count: 0, exact: true };
  const reading = client.readAll({
    fromPosition: readPositionOf(from),
    // +1: a read starts AT `from`, which may come back; +1 to learn that the range goes on.
    maxCount: exactUpTo + 2,
    direction: FORWARDS,
    filter: eventTypeFilter({ regex: eventTypeRegex(undefined) }),
  });
  let count = 0;
  let last = from;
  for await (const resolved of reading) {
    const at = positionOf(resolved);
    if (at === undefined || comparePositions(at, from) <= 0) continue;
    if (comparePositions(at, to) > 0) return { count, exact: true };
    if (count === exactUpTo) {
      const bytesPerEvent = Number(logOffset(last) - logOffset(from)) / count;
      const bytesLeft = Number(logOffset(to) - logOffset(last));
      return { count: count + Math.round(bytesLeft / Math.max(1, bytesPerEvent)), exact: false };
    }
    count += 1;
    last = at;
  }
  return { count, exact: true };
}
