import { describe, expect, it } from 'vitest';
import { Notices } from './notices.ts';

describe('Notices', () => {
  it('builds no data for an event older than the retention, and keeps the last note per channel and event', () => {
    const notices = new Notices((occurredAt) => occurredAt >= '2026-01-01');
    let built = 0;
    const stats = (n: number) => ({
      type: 'title.stats' as const,
      titleId: 'movie:603',
      stats: { ratingAverage: null, ratingCount: n, watchCount: 0, listCount: 0 },
    });
    const data = (n: number) => () => (built++, stats(n));
    notices.note({ position: 'p1', occurredAt: '2025-06-01' }, 'feed', data(1));
    notices.note({ position: 'p2', occurredAt: '2026-02-01' }, 'feed', data(2));
    notices.note({ position: 'p2', occurredAt: '2026-02-01' }, 'feed', data(3));
    notices.note({ position: 'p2', occurredAt: '2026-02-01' }, 'me.ada', data(4));
    expect(built).toBe(3);
    expect(notices.list()).toEqual([
      { channel: 'feed', position: 'p2', data: stats(3) },
      { channel: 'me.ada', position: 'p2', data: stats(4) },
    ]);
  });
});
