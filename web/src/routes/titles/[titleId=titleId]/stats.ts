import type { TitleStats } from '@reeltime/schemas/live';

/**
 * The stats after your rating changes from `before` to `after` (either may be null: not rated),
 * worked out here so the page can show them before the server's numbers include it.
 */
export function withRating(stats: TitleStats, before: number | null, after: number | null): TitleStats {
  let total = (stats.ratingAverage ?? 0) * stats.ratingCount;
  let count = stats.ratingCount;
  if (before !== null) {
    total -= before;
    count -= 1;
  }
  if (after !== null) {
    total += after;
    count += 1;
  }
  return { ...stats, ratingCount: Math.max(0, count), ratingAverage: count > 0 ? total / count : null };
}

/** Your rating as the page counts it in the stats before the server's numbers include it. */
export type RatingChange = { from: number | null; to: number | null };
