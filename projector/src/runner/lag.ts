import type { EventCount, EventStore, Position } from '@reeltime/eventstore';

/** How far a projection is behind the store's head. */
export type Lag = {
  /** Events after the checkpoint (the store's count, or its estimate over a long range). */
  events: EventCount;
  /** Age of the oldest event of the projection's types not applied yet: exact on every store. */
  seconds: number;
};

const CAUGHT_UP: Lag = { events: { count: 0, exact: true }, seconds: 0 };

/**
 * The lag of a projection at `checkpoint`. A projection whose types have no event waiting is
 * caught up, however many events of other types follow; otherwise it is at least one event behind.
 */
export async function measureLag(store: EventStore, checkpoint: Position, eventTypes: readonly string[] | undefined): Promise<Lag> {
  const head = await store.headPosition();
  if (store.comparePositions(checkpoint, head) >= 0) return CAUGHT_UP;
  const oldest = (await store.readAll({ from: checkpoint, limit: 1, eventTypes })).events[0];
  if (oldest === undefined) return CAUGHT_UP;
  const behind = await store.countEvents(checkpoint, head);
  return {
    events: { count: Math.max(1, behind.count), exact: behind.exact },
    seconds: Math.max(0, (Date.now() - Date.parse(oldest.occurredAt)) / 1000),
  };
}

/**
 * A running count of the events up to a position that only moves forward: each call counts
 * only what lies between the last position and the new one, so it stays cheap on a long log.
 * Exact as long as every step was.
 */
export class EventTally {
  #at: Position;
  #count = 0;
  #exact = true;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: EventStore) {
    this.#at = store.startPosition;
  }

  /** The events up to `position`; calls are taken one at a time, so none is counted twice. */
  advanceTo(position: Position): Promise<EventCount> {
    const next = this.#queue.then(async () => {
      if (this.store.comparePositions(position, this.#at) > 0) {
        const more = await this.store.countEvents(this.#at, position);
        this.#count += more.count;
        this.#exact &&= more.exact;
        this.#at = position;
      }
      return { count: this.#count, exact: this.#exact };
    });
    this.#queue = next.catch(() => {});
    return next;
  }
}
