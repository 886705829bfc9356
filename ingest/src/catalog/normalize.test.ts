import { eventRegistry } from '@reeltime/schemas';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { TmdbMovieDetails, TmdbTvDetails } from '../tmdb/schemas.ts';
import { breakingBadDetails, matrixDetails } from './fixtures.testing.ts';
import { NormalizationError, normalizeMovie, normalizeTv } from './normalize.ts';

describe('normalizeMovie', () => {
  it('turns a TMDb movie into the catalog record', () => {
    const details = matrixDetails();
    expect(Compile(TmdbMovieDetails).Check(details)).toBe(true);
    const title = normalizeMovie(details);
    expect(eventRegistry.check('TitleImported', title)).toEqual([]);
    expect(title).toMatchObject({
      titleId: 'movie:603',
      mediaType: 'movie',
      tmdbId: 603,
      imdbId: 'tt0133093',
      title: 'The Matrix',
      originalTitle: 'The Matrix',
      releaseDate: '1999-03-31',
      year: 1999,
      runtimeMinutes: 136,
      originalLanguage: 'en',
      genreIds: [28, 878],
      posterPath: '/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg',
      backdropPath: '/icmmSD4vTTDKOq2vvdulafOGw93.jpg',
      popularity: 77.362,
      voteAverage: 8.2,
      voteCount: 26280,
    });
    expect(title.keywords).toContainEqual({ id: 12190, name: 'cyberpunk' });
    expect(title.cast).toHaveLength(15);
    expect(title.cast[0]).toEqual({ personId: 6384, name: 'Keanu Reeves', character: 'Thomas A. Anderson / Neo', order: 0 });
    expect(title.cast.at(-1)?.order).toBe(14);
    // Lana Wachowski also has a Writer credit: directors come from the Director job only, once each.
    expect(title.directors).toEqual([
      { personId: 9340, name: 'Lana Wachowski' },
      { personId: 9339, name: 'Lilly Wachowski' },
    ]);
    expect(title).not.toHaveProperty('status');
  });

  it('keeps the regions and offers we record, with the JustWatch link', () => {
    const { watchProviders } = normalizeMovie(matrixDetails());
    // CA only offers ads-supported streaming, which the catalog does not record.
    expect(Object.keys(watchProviders)).toEqual(['DE', 'US']);
    expect(watchProviders.US).toEqual({
      link: 'https://www.themoviedb.org/movie/603-the-matrix/watch?locale=US',
      flatrate: [{ providerId: 384, name: 'Max', logoPath: '/Ajqyt5aNxNGjmF9uOfxArGrdf3X.jpg' }],
      rent: [{ providerId: 2, name: 'Apple TV', logoPath: '/9ghgSC0MA082EL6HLCW3GalykFD.jpg' }],
      buy: [{ providerId: 2, name: 'Apple TV', logoPath: '/9ghgSC0MA082EL6HLCW3GalykFD.jpg' }],
    });
  });

  it('clears what TMDb leaves unknown or our schema cannot hold', () => {
    const title = normalizeMovie({
      ...matrixDetails(),
      release_date: '',
      runtime: 0,
      poster_path: null,
      backdrop_path: 'not a path',
      original_language: 'eng',
      genres: [
        { id: 28, name: 'Action' },
        { id: 99_999, name: 'Brand new' },
        { id: 28, name: 'Action' },
      ],
      imdb_id: '',
      external_ids: { imdb_id: null },
      overview: null,
      'watch/providers': undefined,
    });
    expect(title).toMatchObject({
      releaseDate: null,
      year: null,
      runtimeMinutes: null,
      posterPath: null,
      backdropPath: null,
      originalLanguage: 'xx',
      genreIds: [28],
      imdbId: null,
      overview: '',
      watchProviders: {},
    });
  });

  it('refuses a title it cannot represent', () => {
    expect(() => normalizeMovie({ ...matrixDetails(), title: ' ', original_title: '' })).toThrow(NormalizationError);
    expect(() => normalizeMovie({ ...matrixDetails(), release_date: '1999-02-31' })).not.toThrow();
  });
});

describe('normalizeTv', () => {
  it('turns a TMDb series into the catalog record', () => {
    const details = breakingBadDetails();
    expect(Compile(TmdbTvDetails).Check(details)).toBe(true);
    const title = normalizeTv(details);
    expect(eventRegistry.check('TitleImported', title)).toEqual([]);
    expect(title).toMatchObject({
      titleId: 'tv:1396',
      mediaType: 'tv',
      imdbId: 'tt0903747',
      title: 'Breaking Bad',
      releaseDate: '2008-01-20',
      year: 2008,
      // No typical episode runtime listed: the last episode's stands in.
      runtimeMinutes: 56,
      genreIds: [18, 80],
      keywords: [
        { id: 6054, name: 'new mexico' },
        { id: 15483, name: 'drug dealer' },
        { id: 1534, name: 'cancer' },
      ],
      directors: [{ personId: 66633, name: 'Vince Gilligan' }],
      numberOfSeasons: 5,
      numberOfEpisodes: 62,
      status: 'Ended',
    });
    expect(title.cast).toHaveLength(8);
    expect(title.cast.find((c) => c.name === 'Bob Odenkirk')?.character).toBe('Saul Goodman');
    expect(title.watchProviders.US?.flatrate?.map((p) => p.name)).toEqual(['Netflix', 'Paramount Plus']);
  });
});
