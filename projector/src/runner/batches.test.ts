import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent, Subscription } from '@reeltime/eventstore';
import { describe, expect, it } from 'vitest';
import { BatchReader } from './batches.ts';

/** Yields the given events after the given delays (ms), like a store that receives them live. */
function timedSubscription(arrivals: [delayMs: number, id: number][]): Subscription {
  let checkpoint = '0';
  return {
    get checkpoint() {
      return checkpoint;
    },
    async close() {},
    async *[Symbol.asyncIterator]() {
      for (const [delay, id] of arrivals) {
        if (delay > 0) await sleep(delay);
        checkpoint = String(id);
        yield { position: String(id) } as unknown as RecordedEvent;
      }
      await sleep(10_000);
    },
  };
}

const ids = (events: RecordedEvent[]) => events.map((event) => event.position);

describe('BatchReader', () => {
  it('closes a live batch as soon as nothing more arrives, instead of waiting out the window', async () => {
    const reader = new BatchReader(
      timedSubscription([
        [0, 1],
        [200, 2],
      ]),
      1000,
      500,
      2,
    );
    const started = performance.now();
    const batch = await reader.next(1000, new AbortController().signal);
    expect(ids(batch.events)).toEqual(['1']);
    expect(performance.now() - started).toBeLessThan(100);
    expect(batch.checkpoint).toBe('1');
    expect(ids((await reader.next(1000, new AbortController().signal)).events)).toEqual(['2']);
  });

  it('takes everything already waiting into one batch, up to its size', async () => {
    const reader = new BatchReader(
      timedSubscription([
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [0, 5],
      ]),
      3,
      50,
      2,
    );
    expect(ids((await reader.next(100, new AbortController().signal)).events)).toEqual(['1', '2', '3']);
    const rest = await reader.next(100, new AbortController().signal);
    expect(ids(rest.events)).toEqual(['4', '5']);
    expect(rest.full).toBe(false);
  });

  it('lets a catch-up batch wait for slower arrivals when asked to linger for the whole window', async () => {
    const reader = new BatchReader(
      timedSubscription([
        [0, 1],
        [20, 2],
        [20, 3],
      ]),
      1000,
      50,
      2,
    );
    const batch = await reader.next(100, new AbortController().signal, 1000, 200, 200);
    expect(ids(batch.events)).toEqual(['1', '2', '3']);
  });

  it('returns an empty batch when nothing comes within the idle wait', async () => {
    const reader = new BatchReader(timedSubscription([[300, 1]]), 10, 50, 2);
    expect((await reader.next(20, new AbortController().signal)).events).toEqual([]);
    expect(ids((await reader.next(1000, new AbortController().signal)).events)).toEqual(['1']);
  });
});
