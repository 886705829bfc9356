import type { EventData } from '@reeltime/schemas';

/**
 * The synthetic catalog and ratings of the recommendations benchmarks: `titles` movies (title i
 * in genre i mod 18, with one actor and one director of a shared pool), then about
 * `ratings / users` ratings per user (0.3× to 1.7×), long-tailed by popularity and clustered by
 * a taste genre per user, each user's ratings a minute apart on a random day.
 * Deterministic (mulberry32, seed 42), so runs and benchmarks compare.
 */
export type SyntheticEvent =
  | { type: 'TitleImported'; data: EventData<'TitleImported'>; at: number }
  | { type: 'TitleRated'; data: EventData<'TitleRated'>; at: number };

export const SYNTHETIC_GENRES = [28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 53, 10752, 37];
export const syntheticTitleId = (i: number) => `movie:${i + 1}`;
export const syntheticUserId = (u: number) => `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`;

/** A deterministic pseudo-random stream (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Synthetic = {
  events: Generator<SyntheticEvent>;
  /** A title a user of taste `taste` (0..17) would pick next, from the same random stream. */
  pickTitle(taste: number): number;
  rand(): number;
};

export function syntheticRatings(options: { titles: number; users: number; ratings: number; seed?: number }): Synthetic {
  const { titles, users, ratings } = options;
  const rand = random(options.seed ?? 42);
  const start = Date.UTC(2026, 0, 1);
  /** Popularity is long-tailed and tastes cluster by genre: title i's genre is i mod GENRES. */
  const pickTitle = (taste: number): number => {
    const popular = Math.floor(titles * Math.pow(rand(), 3));
    if (rand() < 0.5) return popular;
    const inGenre = Math.floor((titles / SYNTHETIC_GENRES.length) * Math.pow(rand(), 2));
    return Math.min(titles - 1, inGenre * SYNTHETIC_GENRES.length + taste);
  };
  function* events(): Generator<SyntheticEvent> {
    for (let i = 0; i < titles; i++) {
      yield {
        type: 'TitleImported',
        at: start,
        data: {
          titleId: syntheticTitleId(i),
          mediaType: 'movie',
          tmdbId: i + 1,
          imdbId: null,
          title: `Title ${i}`,
          originalTitle: `Title ${i}`,
          overview: '',
          releaseDate: null,
          year: 2000,
          runtimeMinutes: 100,
          originalLanguage: 'en',
          genreIds: [SYNTHETIC_GENRES[i % SYNTHETIC_GENRES.length]!],
          keywords: [],
          cast: [{ personId: (i % 500) + 1, name: `Actor ${i % 500}`, character: '', order: 0 }],
          directors: [{ personId: 1000 + (i % 300), name: `Director ${i % 300}` }],
          posterPath: null,
          backdropPath: null,
          popularity: 1,
          voteAverage: 7,
          voteCount: 10,
          watchProviders: {},
        } as EventData<'TitleImported'>,
      };
    }
    const perUser = ratings / users;
    let rated = 0;
    for (let u = 0; u < users; u++) {
      const taste = u % SYNTHETIC_GENRES.length;
      const count = Math.max(1, Math.round(perUser * (0.3 + 1.4 * rand())));
      const at = start + Math.floor(rand() * 300 * 86_400_000);
      const seen = new Set<number>();
      for (let k = 0; k < count && rated < ratings; k++) {
        const title = pickTitle(taste);
        if (seen.has(title)) continue;
        seen.add(title);
        rated++;
        yield {
          type: 'TitleRated',
          at: at + k * 60_000,
          data: {
            userId: syntheticUserId(u),
            titleId: syntheticTitleId(title),
            score: 5 + Math.floor(rand() * 6),
            containsSpoilers: false,
          },
        };
      }
    }
  }
  return { events: events(), pickTitle, rand };
}
