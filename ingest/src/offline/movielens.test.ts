import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventRegistry } from '@reeltime/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog, testEnvironment, type Environment } from '../sync/environment.testing.ts';
import { importMovieLens, movieLensTitle, parseMovieLensTitle, readMovieLens } from './movielens.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/movielens', import.meta.url));
const REAL_DATA = '/work/shared/datasets/ml-latest-small';

describe('parseMovieLensTitle', () => {
  it.each([
    ['Toy Story (1995)', { title: 'Toy Story', originalTitle: 'Toy Story', year: 1995 }],
    ['American President, The (1995)', { title: 'The American President', originalTitle: 'The American President', year: 1995 }],
    [
      'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      { title: 'The City of Lost Children', originalTitle: 'La Cité des enfants perdus', year: 1995 },
    ],
    ['Shawshank Redemption, The (1994)', { title: 'The Shawshank Redemption', originalTitle: 'The Shawshank Redemption', year: 1994 }],
    ['Misérables, Les (1995)', { title: 'Les Misérables', originalTitle: 'Les Misérables', year: 1995 }],
    ["Auberge espagnole, L' (2002)", { title: "L'Auberge espagnole", originalTitle: "L'Auberge espagnole", year: 2002 }],
    ['Seven (a.k.a. Se7en) (1995)', { title: 'Seven', originalTitle: 'Seven', year: 1995 }],
    ['Fawlty Towers (1975-1979)', { title: 'Fawlty Towers', originalTitle: 'Fawlty Towers', year: 1975 }],
    ['Babylon 5', { title: 'Babylon 5', originalTitle: 'Babylon 5', year: null }],
  ])('reads %s', (raw, expected) => expect(parseMovieLensTitle(raw)).toEqual(expected));
});

describe('movieLensTitle', () => {
  it('maps genres to TMDb ids where the names match, and the MovieLens aliases', () => {
    const title = movieLensTitle(
      { movieId: '1', title: 'Toy Story (1995)', genres: 'Adventure|Animation|Children|Comedy|Fantasy|Film-Noir|IMAX|Musical|Sci-Fi' },
      { imdbId: '0114709', tmdbId: '862' },
    );
    expect(title).toMatchObject({ titleId: 'movie:862', tmdbId: 862, imdbId: 'tt0114709', genreIds: [12, 16, 10751, 35, 14, 10402, 878] });
    expect(eventRegistry.check('TitleImported', title)).toEqual([]);
  });

  it.each([undefined, { imdbId: '0113610', tmdbId: '' }, { imdbId: '1', tmdbId: '0' }])('skips a movie without a TMDb id (%j)', (link) =>
    expect(movieLensTitle({ movieId: '791', title: 'X (1994)', genres: 'Documentary' }, link)).toBeNull(),
  );
});

describe('MovieLens import', () => {
  let env: Environment;
  beforeAll(async () => {
    env = await testEnvironment();
  });
  afterAll(() => env?.dispose());

  it('imports each movie with a TMDb id once; a second import appends nothing', async () => {
    const first = await importMovieLens({ directory: FIXTURE, store: env.store, log: silentLog });
    // 9 rows: 3 without a TMDb id, and two MovieLens entries for one TMDb movie.
    expect(first).toMatchObject({ imported: 5, unchanged: 1, skipped: 3 });
    const events = await env.events();
    expect(events.map((e) => e.streamId).sort()).toEqual([
      'title-movie-4912',
      'title-movie-603',
      'title-movie-862',
      'title-movie-902',
      'title-movie-9087',
    ]);
    expect(events.find((e) => e.streamId === 'title-movie-902')?.data).toMatchObject({
      title: 'The City of Lost Children',
      originalTitle: 'La Cité des enfants perdus',
      year: 1995,
      genreIds: [12, 18, 14, 9648, 878],
    });
    expect(events.every((e) => e.correlationId === first.runId && e.userId === null)).toBe(true);

    const second = await importMovieLens({ directory: FIXTURE, store: env.store, log: silentLog });
    expect(second).toMatchObject({ imported: 0, unchanged: 6, skipped: 3 });
    expect(await env.events()).toHaveLength(5);
  });
});

describe('MovieLens ml-latest-small', () => {
  const present = existsSync(`${REAL_DATA}/movies.csv`) && existsSync(`${REAL_DATA}/links.csv`);
  if (!present) console.info(`skipping the MovieLens dataset test: ${REAL_DATA} is missing`);

  it.skipIf(!present)('turns every row with a TMDb id into a valid catalog event', async () => {
    let valid = 0;
    let skipped = 0;
    const problems: string[] = [];
    for await (const title of readMovieLens(REAL_DATA)) {
      if (title === null) {
        skipped++;
        continue;
      }
      const issues = eventRegistry.check('TitleImported', title);
      if (issues.length > 0) problems.push(`${title.titleId}: ${issues[0]!.path} ${issues[0]!.message}`);
      else valid++;
    }
    expect(problems).toEqual([]);
    expect(valid + skipped).toBe(9742);
    expect(skipped).toBe(8);
  });
});
