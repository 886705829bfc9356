import type { FitOptions } from './model.ts';
import type { ScoringOptions } from './scoring.ts';

export type EngineOptions = FitOptions &
  ScoringOptions & {
    /** People who must have interacted with a title before the collaborative model covers it. */
    minInteractions: number;
    /** The model's size cap (its cost grows with the cube of it): the most interacted titles win. */
    maxModelTitles: number;
    /** Half-life of "trending" (milliseconds). */
    trendingHalfLifeMs: number;
  };

/**
 * Tuned offline with `npm run eval:recs` on MovieLens (ml-latest-small), then left alone:
 * the same values have to hold on other data.
 */
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  lambda: 200,
  sessionWeight: 1,
  sessionDecayMs: 300_000,
  minInteractions: 5,
  maxModelTitles: 2000,
  trendingHalfLifeMs: 7 * 86_400_000,
  genreWeight: 0.1,
  // Said outright, a liked genre outweighs the popularity prior of someone with no history.
  statedGenreWeight: 0.3,
  peopleWeight: 0.15,
  // Not tuned offline: MovieLens has no keywords. Below genres, as one title's keywords are
  // noisier than its genres.
  keywordWeight: 0.05,
  languageWeight: 0.1,
  popularityWeight: 0.2,
  trendingWeight: 0.2,
  historyScale: 10,
  diversity: 0.1,
};
