import { describe, expect, it } from 'vitest';
import { eventRegistry } from '../registry.ts';
import { samples } from './samples.fixture.ts';

const paths = (type: string, data: unknown) => eventRegistry.check(type, data).map((issue) => issue.path);
const movie = samples.TitleImported;

describe('TitleImported', () => {
  it('accepts a tv show with its tv-only fields and no release date yet', () => {
    const show = {
      ...movie,
      titleId: 'tv:1396',
      mediaType: 'tv',
      tmdbId: 1396,
      imdbId: null,
      releaseDate: null,
      year: null,
      runtimeMinutes: null,
      genreIds: [18, 80, 10765],
      numberOfSeasons: 5,
      numberOfEpisodes: 62,
      status: 'Ended',
      watchProviders: {},
    };
    expect(paths('TitleImported', show)).toEqual([]);
  });

  it('rejects a titleId that disagrees with mediaType and tmdbId', () => {
    const issues = eventRegistry.check('TitleImported', { ...movie, titleId: 'tv:603' });
    expect(issues).toEqual([{ path: '', message: expect.stringContaining('movie:603') }]);
  });

  it('keeps at most 15 cast members', () => {
    const cast = Array.from({ length: 16 }, (_, order) => ({ personId: order + 1, name: `Actor ${order}`, character: '', order }));
    expect(paths('TitleImported', { ...movie, cast: cast.slice(0, 15) })).toEqual([]);
    expect(paths('TitleImported', { ...movie, cast })).toEqual(['/cast']);
  });

  it.each([
    ['a vote average above 10', { voteAverage: 10.5 }, '/voteAverage'],
    ['a negative popularity', { popularity: -1 }, '/popularity'],
    ['a fractional vote count', { voteCount: 1.5 }, '/voteCount'],
    ['a malformed imdb id', { imdbId: '0133093' }, '/imdbId'],
    ['a release date with a time', { releaseDate: '1999-03-30T00:00:00Z' }, '/releaseDate'],
    ['an upper-case language', { originalLanguage: 'EN' }, '/originalLanguage'],
    ['an image URL instead of a TMDb path', { posterPath: 'https://image.tmdb.org/t/p/w500/x.jpg' }, '/posterPath'],
    ['a duplicate genre', { genreIds: [28, 28] }, '/genreIds'],
    ['a lower-case region', { watchProviders: { us: {} } }, '/watchProviders/us'],
    ['an unknown offer kind', { watchProviders: { US: { free: [] } } }, '/watchProviders/US/free'],
    [
      'a provider without a name',
      { watchProviders: { US: { buy: [{ providerId: 2, logoPath: null }] } } },
      '/watchProviders/US/buy/0/name',
    ],
  ])('rejects %s', (_name, patch, path) => {
    expect(paths('TitleImported', { ...movie, ...patch })).toEqual([path]);
  });
});

describe('TitleUpdated', () => {
  it('accepts a single changed field, and null to clear one', () => {
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: { backdropPath: null } })).toEqual([]);
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: { cast: [], keywords: [] } })).toEqual([]);
  });

  it('rejects an empty change set', () => {
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: {} })).toEqual(['/changes']);
  });

  it.each(['titleId', 'mediaType', 'tmdbId'])('refuses to change the identity field %s', (field) => {
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: { [field]: movie[field as keyof typeof movie] } })).toEqual([
      `/changes/${field}`,
    ]);
  });

  it('validates changed fields with the TitleImported rules', () => {
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: { voteAverage: 11 } })).toEqual(['/changes/voteAverage']);
    expect(paths('TitleUpdated', { titleId: 'movie:603', changes: { genreIds: [1] } })).toEqual(['/changes/genreIds/0']);
  });
});
