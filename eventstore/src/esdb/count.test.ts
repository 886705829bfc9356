import { FORWARDS, START } from '@kurrent/kurrentdb-client';
import { describe, expect, it, vi } from 'vitest';
import { START_POSITION, encodePosition } from '../positions.ts';
import { countEvents } from './count.ts';
import { fakeRead, fakeResolved } from './fakes.testing.ts';
import type { ReadClient } from './read.ts';

/** $all as the server would serve it from `fromPosition` (inclusive), at most `maxCount` events. */
function logOf(commits: readonly bigint[]) {
  const readAll = vi.fn((options: { fromPosition: typeof START | { commit: bigint }; maxCount: number }) => {
    const from = options.fromPosition === START ? -1n : options.fromPosition.commit;
    return fakeRead(
      commits
        .filter((c) => c >= from)
        .slice(0, options.maxCount)
        .map((commit) => fakeResolved({ commit })),
    );
  });
  return { readAll, readStream: vi.fn() } as unknown as ReadClient & { readAll: typeof readAll };
}

const at = (commit: bigint) => encodePosition(commit, commit);
/** Events 100 bytes apart: commit positions 100, 200, ... */
const evenLog = (events: number) => Array.from({ length: events }, (_, i) => BigInt((i + 1) * 100));

describe('counting events on EventStoreDB', () => {
  it('counts a short range exactly, exclusive of from and inclusive of to, without system events', async () => {
    const client = logOf(evenLog(10));
    expect(await countEvents(client, at(200n), at(700n))).toEqual({ count: 5, exact: true });
    expect(await countEvents(client, START_POSITION, at(1000n))).toEqual({ count: 10, exact: true });
    expect(client.readAll.mock.calls[0]![0]).toMatchObject({ direction: FORWARDS, filter: { regex: '^[^$]' } });
  });

  it('answers 0 without a read when to is not after from', async () => {
    const client = logOf(evenLog(10));
    expect(await countEvents(client, at(500n), at(500n))).toEqual({ count: 0, exact: true });
    expect(await countEvents(client, at(700n), at(200n))).toEqual({ count: 0, exact: true });
    expect(client.readAll).not.toHaveBeenCalled();
  });

  it('counts up to a position between events (a filtered checkpoint)', async () => {
    const client = logOf(evenLog(10));
    expect(await countEvents(client, at(250n), at(650n))).toEqual({ count: 4, exact: true });
  });

  it('reads no further than its limit, and estimates the rest from the bytes left at the size of the events read', async () => {
    const client = logOf(evenLog(5000));
    const counted = await countEvents(client, at(100n), at(500_000n), 100);
    expect(counted).toEqual({ count: 4999, exact: false });
    expect(client.readAll.mock.calls[0]![0].maxCount).toBe(102);
  });

  it('is exact when the range ends right at the limit', async () => {
    const client = logOf(evenLog(200));
    expect(await countEvents(client, START_POSITION, at(10_000n), 100)).toEqual({ count: 100, exact: true });
  });
});
