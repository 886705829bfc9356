import { Type, type Static } from 'typebox';
import type { MediaType } from './ids.ts';

type GenreEntry = { readonly id: number; readonly name: string; readonly mediaTypes: readonly MediaType[] };

/**
 * TMDb's official genre lists (`/genre/movie/list` and `/genre/tv/list`, en-US) merged on id.
 * Kept in code rather than fetched: genre ids are part of our event payloads, so the set we
 * accept must not change underneath stored events.
 */
export const TMDB_GENRES = [
  { id: 28, name: 'Action', mediaTypes: ['movie'] },
  { id: 12, name: 'Adventure', mediaTypes: ['movie'] },
  { id: 16, name: 'Animation', mediaTypes: ['movie', 'tv'] },
  { id: 35, name: 'Comedy', mediaTypes: ['movie', 'tv'] },
  { id: 80, name: 'Crime', mediaTypes: ['movie', 'tv'] },
  { id: 99, name: 'Documentary', mediaTypes: ['movie', 'tv'] },
  { id: 18, name: 'Drama', mediaTypes: ['movie', 'tv'] },
  { id: 10751, name: 'Family', mediaTypes: ['movie', 'tv'] },
  { id: 14, name: 'Fantasy', mediaTypes: ['movie'] },
  { id: 36, name: 'History', mediaTypes: ['movie'] },
  { id: 27, name: 'Horror', mediaTypes: ['movie'] },
  { id: 10402, name: 'Music', mediaTypes: ['movie'] },
  { id: 9648, name: 'Mystery', mediaTypes: ['movie', 'tv'] },
  { id: 10749, name: 'Romance', mediaTypes: ['movie'] },
  { id: 878, name: 'Science Fiction', mediaTypes: ['movie'] },
  { id: 10770, name: 'TV Movie', mediaTypes: ['movie'] },
  { id: 53, name: 'Thriller', mediaTypes: ['movie'] },
  { id: 10752, name: 'War', mediaTypes: ['movie'] },
  { id: 37, name: 'Western', mediaTypes: ['movie', 'tv'] },
  { id: 10759, name: 'Action & Adventure', mediaTypes: ['tv'] },
  { id: 10762, name: 'Kids', mediaTypes: ['tv'] },
  { id: 10763, name: 'News', mediaTypes: ['tv'] },
  { id: 10764, name: 'Reality', mediaTypes: ['tv'] },
  { id: 10765, name: 'Sci-Fi & Fantasy', mediaTypes: ['tv'] },
  { id: 10766, name: 'Soap', mediaTypes: ['tv'] },
  { id: 10767, name: 'Talk', mediaTypes: ['tv'] },
  { id: 10768, name: 'War & Politics', mediaTypes: ['tv'] },
] as const satisfies readonly GenreEntry[];

export type TmdbGenre = (typeof TMDB_GENRES)[number];

export const GENRE_IDS = TMDB_GENRES.map((genre) => genre.id);

export const GenreId = Type.Enum(GENRE_IDS, { description: 'TMDb genre id (movie or tv list)' });
export type GenreId = Static<typeof GenreId>;

/**
 * MovieLens genre names → TMDb movie genre ids: TMDb's movie genres by name, plus the names
 * MovieLens spells its own way (ml-100k writes "Children's"). IMAX and "(no genres listed)"
 * have none.
 */
export const MOVIELENS_GENRES: Readonly<Record<string, GenreId>> = {
  ...Object.fromEntries(TMDB_GENRES.filter((g) => (g.mediaTypes as readonly string[]).includes('movie')).map((g) => [g.name, g.id])),
  'Sci-Fi': 878,
  Children: 10751,
  "Children's": 10751,
  Musical: 10402,
};
