import { describe, expect, it } from 'vitest';
import { firstCatchUpSize, nextCatchUpSize } from './catch-up-size.ts';

const settings = { batchSize: 1000, rebuildBatchSize: 20_000, rebuildTransactionMs: 500 };

describe('catch-up batch size', () => {
  it('starts at the live batch size', () => {
    expect(firstCatchUpSize(settings)).toBe(1000);
    expect(firstCatchUpSize({ ...settings, rebuildBatchSize: 400 })).toBe(400);
  });

  it('at most doubles after a short transaction, up to rebuildBatchSize', () => {
    // Given a full batch of 4,000 events whose transaction took 50 ms of the 500 ms aimed at
    expect(nextCatchUpSize(settings, 4000, 50)).toBe(8000);
    // Given one already near the top
    expect(nextCatchUpSize(settings, 15_000, 50)).toBe(20_000);
  });

  it('at most halves after a long transaction, down to the live batch size', () => {
    expect(nextCatchUpSize(settings, 8000, 5000)).toBe(4000);
    expect(nextCatchUpSize(settings, 1500, 5000)).toBe(1000);
  });

  it('scales in between so that the next transaction takes about rebuildTransactionMs', () => {
    expect(nextCatchUpSize(settings, 6000, 600)).toBe(5000);
  });
});
