import { describe, expect, it } from 'vitest';
import { PopularityRecommender } from './popularity.ts';

const rating = (movieId: number) => ({ movieId, titleId: `movie:${movieId}` });

describe('PopularityRecommender', () => {
  const popularity = new PopularityRecommender([9, 3, 9, 5, 3, 7, 9, 1].map(rating));

  it('ranks by training ratings, equal counts by the lower movie id', () => {
    // counts: 9 → 3, 3 → 2, then 1, 5, 7 with 1 each.
    expect(popularity.recommend(new Set(), 10).map((item) => item.titleId)).toEqual([
      'movie:9',
      'movie:3',
      'movie:1',
      'movie:5',
      'movie:7',
    ]);
    expect(popularity.recommend(new Set(), 2)).toEqual([
      { titleId: 'movie:9', score: 3 },
      { titleId: 'movie:3', score: 2 },
    ]);
  });

  it("leaves out the user's own titles", () => {
    expect(popularity.recommend(new Set(['movie:9', 'movie:1']), 3).map((item) => item.titleId)).toEqual(['movie:3', 'movie:5', 'movie:7']);
  });
});
