import { TMDB_GENRES, type EventData } from '@reeltime/schemas';
import type { At } from '../model/notices.ts';
import type { TitleRow } from './rows.ts';

export const POSTER_BASE_URL = 'https://image.tmdb.org/t/p/w342';
export const BACKDROP_BASE_URL = 'https://image.tmdb.org/t/p/w1280';

const genreNames = new Map<number, string>(TMDB_GENRES.map((genre) => [genre.id, genre.name]));

type TitleData = EventData<'TitleImported'>;

export function titleRow(data: TitleData, at: At, createdAt: string = at.occurredAt): TitleRow {
  return {
    title_id: data.titleId,
    media_type: data.mediaType,
    tmdb_id: data.tmdbId,
    imdb_id: data.imdbId,
    title: data.title,
    original_title: data.originalTitle,
    overview: data.overview,
    release_date: data.releaseDate,
    year: data.year,
    runtime_minutes: data.runtimeMinutes,
    original_language: data.originalLanguage,
    genre_ids: [...data.genreIds],
    genres: data.genreIds.map((id) => genreNames.get(id) ?? String(id)),
    keywords: data.keywords,
    cast: data.cast,
    directors: data.directors,
    poster_path: data.posterPath,
    poster_url: data.posterPath === null ? null : POSTER_BASE_URL + data.posterPath,
    backdrop_path: data.backdropPath,
    backdrop_url: data.backdropPath === null ? null : BACKDROP_BASE_URL + data.backdropPath,
    popularity: data.popularity,
    vote_average: data.voteAverage,
    vote_count: data.voteCount,
    watch_providers: data.watchProviders,
    number_of_seasons: data.numberOfSeasons ?? null,
    number_of_episodes: data.numberOfEpisodes ?? null,
    status: data.status ?? null,
    created_at: createdAt,
    updated_at: at.occurredAt,
    position: at.position,
  };
}

/** The catalog record a row was made from, so a TitleUpdated can be merged into it. */
export function titleData(row: TitleRow): TitleData {
  return {
    titleId: row.title_id,
    mediaType: row.media_type as TitleData['mediaType'],
    tmdbId: row.tmdb_id,
    imdbId: row.imdb_id,
    title: row.title,
    originalTitle: row.original_title,
    overview: row.overview,
    releaseDate: row.release_date,
    year: row.year,
    runtimeMinutes: row.runtime_minutes,
    originalLanguage: row.original_language,
    genreIds: row.genre_ids as TitleData['genreIds'],
    keywords: row.keywords,
    cast: row.cast,
    directors: row.directors,
    posterPath: row.poster_path,
    backdropPath: row.backdrop_path,
    popularity: row.popularity,
    voteAverage: row.vote_average,
    voteCount: row.vote_count,
    watchProviders: row.watch_providers,
    ...(row.number_of_seasons === null ? {} : { numberOfSeasons: row.number_of_seasons }),
    ...(row.number_of_episodes === null ? {} : { numberOfEpisodes: row.number_of_episodes }),
    ...(row.status === null ? {} : { status: row.status }),
  };
}

/** Applies a TitleUpdated change set: null clears a field (optional tv fields are dropped). */
export function mergeChanges(data: TitleData, changes: EventData<'TitleUpdated'>['changes']): TitleData {
  const merged: Record<string, unknown> = { ...data };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null && (field === 'numberOfSeasons' || field === 'numberOfEpisodes' || field === 'status')) delete merged[field];
    else merged[field] = value;
  }
  return merged as TitleData;
}
