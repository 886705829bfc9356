import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position, RecordedEvent } from '../port.ts';
import { START_POSITION, encodePosition } from '../positions.ts';
import { postgresUrlForTests } from '../testing/services.ts';
import type { Page } from './read.ts';
import { PollingSubscription } from './subscription.ts';
import { Wakeups } from './wakeups.ts';

const events = Array.from({ length: 100 }, (_, i) => ({ eventId: `e${i}`, position: encodePosition(1, i + 1) }) as RecordedEvent);

/** A source of pages of 10 over the events above, counting how often it is asked. */
function pagedSource() {
  const source = {
    reads: 0,
    read: async (from: Position): Promise<Page> => {
      source.reads++;
      const rest = events.filter((e) => e.position > from).slice(0, 10);
      return { events: rest, position: rest.at(-1)?.position ?? from, isEnd: rest.length < 10, blocked: false };
    },
  };
  return source;
}

describe('PollingSubscription', () => {
  let wakeups: Wakeups;

  beforeAll(async () => {
    const url = await postgresUrlForTests();
    wakeups = new Wakeups(
      () => new pg.Client({ connectionString: url }),
      'unused',
      () => {},
    );
  });
  afterAll(() => wakeups.close());

  it('reads only as fast as its consumer pulls: one page ahead at most', async () => {
    const source = pagedSource();
    const subscription = new PollingSubscription(source.read, wakeups, { from: START_POSITION, idlePollMs: 10_000, onError: () => {} });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value.eventId).toBe('e0');
    await new Promise((r) => setTimeout(r, 100));
    expect(source.reads).toBe(2);

    const rest: string[] = [];
    while (rest.length < 99) rest.push((await iterator.next()).value.eventId);
    expect(rest).toEqual(events.slice(1).map((e) => e.eventId));
    expect(subscription.checkpoint).toBe(events.at(-1)!.position);
    await subscription.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('goes on after a failed read, from where it was', async () => {
    const source = pagedSource();
    let failures = 1;
    const flaky = (from: Position) => (failures-- > 0 ? Promise.reject(new Error('connection lost')) : source.read(from));
    const errors: Error[] = [];
    const subscription = new PollingSubscription(flaky, wakeups, {
      from: events[49]!.position,
      idlePollMs: 10_000,
      onError: (e) => errors.push(e),
    });
    const seen: string[] = [];
    for await (const event of subscription) {
      seen.push(event.eventId);
      if (seen.length === 50) break;
    }
    expect(seen).toEqual(events.slice(50).map((e) => e.eventId));
    expect(errors.map((e) => e.message)).toEqual(['connection lost']);
  });
});
