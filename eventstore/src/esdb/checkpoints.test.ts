import { describe, expect, it } from 'vitest';
import { START_POSITION, encodePosition } from '../positions.ts';
import { CheckpointTracker } from './checkpoints.ts';

const at = (n: number) => encodePosition(n, n);

describe('subscription checkpoints', () => {
  it('start at `from` and treat it and everything before as delivered', () => {
    const tracker = new CheckpointTracker(at(10));
    expect(tracker.checkpoint).toBe(at(10));
    expect(tracker.isRedelivery(at(10))).toBe(true);
    expect(tracker.isRedelivery(at(9))).toBe(true);
    expect(tracker.isRedelivery(at(11))).toBe(false);
  });

  it('follow taken events', () => {
    const tracker = new CheckpointTracker(START_POSITION);
    tracker.taken(at(5));
    expect(tracker.checkpoint).toBe(at(5));
    expect(tracker.lastTaken).toBe(at(5));
    expect(tracker.isRedelivery(at(5))).toBe(true);
  });

  it('apply a filter checkpoint only when settled', () => {
    const tracker = new CheckpointTracker(START_POSITION);
    tracker.taken(at(5));
    tracker.reached(at(50));
    expect(tracker.checkpoint).toBe(at(5));
    tracker.settle();
    expect(tracker.checkpoint).toBe(at(50));
    // The redelivery guard stays on events actually taken, never on a reported checkpoint.
    expect(tracker.lastTaken).toBe(at(5));
    expect(tracker.isRedelivery(at(20))).toBe(false);
  });

  it('keep the furthest of several pending checkpoints, and never move back when settling', () => {
    const tracker = new CheckpointTracker(START_POSITION);
    tracker.reached(at(30));
    tracker.reached(at(20));
    tracker.taken(at(40));
    tracker.settle();
    expect(tracker.checkpoint).toBe(at(40));
    tracker.settle();
    expect(tracker.checkpoint).toBe(at(40));
  });

  it('fall back to an event that arrives behind a reported checkpoint', () => {
    const tracker = new CheckpointTracker(START_POSITION);
    tracker.reached(at(30));
    tracker.settle();
    tracker.taken(at(25));
    expect(tracker.checkpoint).toBe(at(25));
  });

  it('forget checkpoints of a client stream that was replaced', () => {
    const tracker = new CheckpointTracker(START_POSITION);
    tracker.taken(at(5));
    tracker.reached(at(30));
    tracker.dropPending();
    tracker.settle();
    expect(tracker.checkpoint).toBe(at(5));
  });
});
