import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { GenreId, TMDB_GENRES } from './genres.ts';

const genreId = Compile(GenreId);
const idsFor = (mediaType: 'movie' | 'tv') =>
  TMDB_GENRES.filter((genre) => (genre.mediaTypes as readonly string[]).includes(mediaType)).map((genre) => genre.id);

describe('TMDB_GENRES', () => {
  it('has unique ids', () => {
    const ids = TMDB_GENRES.map((genre) => genre.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('matches the TMDb movie genre list', () => {
    expect(idsFor('movie').sort((a, b) => a - b)).toEqual(
      [28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 10770, 53, 10752, 37].sort((a, b) => a - b),
    );
  });

  it('matches the TMDb tv genre list', () => {
    expect(idsFor('tv').sort((a, b) => a - b)).toEqual(
      [10759, 16, 35, 80, 99, 18, 10751, 10762, 9648, 10763, 10764, 10765, 10766, 10767, 10768, 37].sort((a, b) => a - b),
    );
  });

  it('uses the TMDb names', () => {
    expect(TMDB_GENRES.find((genre) => genre.id === 878)?.name).toBe('Science Fiction');
    expect(TMDB_GENRES.find((genre) => genre.id === 10765)?.name).toBe('Sci-Fi & Fantasy');
  });
});

describe('GenreId', () => {
  it.each(TMDB_GENRES.map((genre) => genre.id))('accepts %i', (id) => {
    expect(genreId.Check(id)).toBe(true);
  });

  it.each([0, 1, 10769, -28, 28.5, '28', null])('rejects %s', (id) => {
    expect(genreId.Check(id)).toBe(false);
  });
});
