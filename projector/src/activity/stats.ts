import { channels, type At, type Notices } from '../model/notices.ts';
import type { StatsRow } from './rows.ts';
import type { ActivityState } from './state.ts';

/*
 * Trending = exponentially decayed activity. Every title decays at the same rate, so the
 * ranking never needs "now": a score of ln Σ e^((t − epoch)/τ) orders titles exactly as the
 * decayed sum would at any moment, and in log space it never overflows.
 */
const TRENDING_EPOCH_MS = Date.parse('2020-01-01T00:00:00Z');
const TRENDING_TAU_MS = 3 * 24 * 3600 * 1000;

export function addActivity(score: number | null, occurredAt: string): number {
  const x = (Date.parse(occurredAt) - TRENDING_EPOCH_MS) / TRENDING_TAU_MS;
  if (score === null) return x;
  const high = Math.max(score, x);
  return high + Math.log1p(Math.exp(Math.min(score, x) - high));
}

type StatsChange = { ratings?: number; ratingSum?: number; watches?: number; lists?: number; activity?: boolean };

export function statsOf(row: StatsRow | undefined) {
  return {
    ratingAverage: row && row.rating_count > 0 ? Math.round((row.rating_sum / row.rating_count) * 100) / 100 : null,
    ratingCount: row?.rating_count ?? 0,
    watchCount: row?.watch_count ?? 0,
    listCount: row?.list_count ?? 0,
  };
}

/** Moves a title's counters and tells `title.<id>` the new figures. */
export function changeStats(state: ActivityState, notices: Notices, at: At, titleId: string, change: StatsChange): void {
  const row = state.stats.get(titleId) ?? {
    title_id: titleId,
    rating_count: 0,
    rating_sum: 0,
    watch_count: 0,
    list_count: 0,
    trending_score: null,
    last_activity_at: null,
    updated_at: at.occurredAt,
    position: at.position,
  };
  const next: StatsRow = {
    ...row,
    rating_count: row.rating_count + (change.ratings ?? 0),
    rating_sum: row.rating_sum + (change.ratingSum ?? 0),
    watch_count: row.watch_count + (change.watches ?? 0),
    list_count: row.list_count + (change.lists ?? 0),
    updated_at: at.occurredAt,
    position: at.position,
  };
  if (change.activity) {
    next.trending_score = addActivity(row.trending_score, at.occurredAt);
    next.last_activity_at = at.occurredAt;
  }
  state.stats.put(next);
  notices.note(at, channels.title(titleId), () => ({ type: 'title.stats', titleId, stats: statsOf(next) }));
}
