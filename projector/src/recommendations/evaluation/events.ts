import { encodePosition, type RecordedEvent } from '@reeltime/eventstore';
import {
  eventRegistry,
  ratingStream,
  titleStream,
  userStream,
  MOVIELENS_GENRES,
  type GenreId,
  type ReelEvent,
  type TitleImportedData,
} from '@reeltime/schemas';
import type { Movie, MovieLensDataset } from './movielens.ts';
import { URL_NAMESPACE, uuidV5 } from './uuid-v5.ts';

/*
 * MovieLens as the event log Reeltime would have recorded: the catalog (TitleImported for every
 * title with a training rating), then, in time order, each user's UserRegistered right before
 * their first rating and their TitleRated events. Only training ratings are replayed: the
 * held-out ones are what the recommender must find.
 */

/** Namespace of every id made here: uuidV5('https://grouplens.org/datasets/movielens/', URL namespace). */
export const MOVIELENS_NAMESPACE = uuidV5('https://grouplens.org/datasets/movielens/', URL_NAMESPACE);

/**
 * Event ids: the namespace's first 64 bits as a version 8 (custom) UUID, then the event's place
 * in the log. Unique and reproducible like a v5 of each event would be, without a SHA-1 per
 * event (which was most of the replay's cost).
 */
const EVENT_ID_PREFIX = `${MOVIELENS_NAMESPACE.slice(0, 14)}8${MOVIELENS_NAMESPACE.slice(15, 24)}`;

/** The trace id every replayed event carries, as a sync run's id would. */
export const REPLAY_CORRELATION_ID = 'movielens-evaluation';

/** MovieLens genre names → TMDb movie genre ids; the evaluation also files film noir under Crime (TMDb has no noir). */
export const MOVIELENS_GENRE_IDS: Readonly<Record<string, GenreId>> = { ...MOVIELENS_GENRES, 'Film-Noir': 80 };

export const movieLensTitleId = (movieId: number) => `movie:${movieId}`;
const userIds = new Map<number, string>();
/** A MovieLens user's Reeltime id: a UUID v5 of the MovieLens id (cached: every rating asks). */
export function movieLensUserId(userId: number): string {
  let id = userIds.get(userId);
  if (id === undefined) {
    id = uuidV5(`user:${userId}`, MOVIELENS_NAMESPACE);
    userIds.set(userId, id);
  }
  return id;
}

/** `Toy Story (1995)` → 1995; `Fawlty Towers (1975-1979)` and `Big Bang Theory, The (2007-)` → the first year. */
const YEAR_SUFFIX = /\s*\((\d{4})(?:[–-](?:\d{4})?)?\)\s*$/;

export function yearOf(rawTitle: string): number | null {
  const match = YEAR_SUFFIX.exec(rawTitle);
  const year = match ? Number(match[1]) : NaN;
  return year >= 1870 && year <= 2200 ? year : null;
}

/** A MovieLens movie as a complete catalog record; TMDb-only fields are empty. */
export function titleImportedData(movie: Movie): TitleImportedData {
  const titleId = movieLensTitleId(movie.movieId);
  const name = movie.rawTitle.replace(YEAR_SUFFIX, '').trim().slice(0, 300) || `MovieLens movie ${movie.movieId}`;
  const genreIds = [
    ...new Set(movie.genres.flatMap((genre) => (MOVIELENS_GENRE_IDS[genre] === undefined ? [] : [MOVIELENS_GENRE_IDS[genre]]))),
  ];
  const year = yearOf(movie.rawTitle) ?? (movie.releaseDate === null ? null : yearOf(`(${movie.releaseDate.slice(0, 4)})`));
  return {
    titleId,
    mediaType: 'movie',
    // MovieLens ids stand in for TMDb ids so that titleId = movie:<movieId> stays consistent.
    tmdbId: movie.movieId,
    imdbId: movie.imdbId,
    title: name,
    originalTitle: name,
    overview: '',
    releaseDate: movie.releaseDate,
    year,
    runtimeMinutes: null,
    originalLanguage: 'en',
    genreIds,
    keywords: [],
    cast: [],
    directors: [],
    posterPath: null,
    backdropPath: null,
    popularity: 0,
    voteAverage: 0,
    voteCount: 0,
    watchProviders: {},
  };
}

/** Half stars 0.5..5 → Reeltime's score 1..10 (the TitleRated v1 → v2 upcast's rule). */
export const scoreOf = (stars: number) => Math.min(10, Math.max(1, Math.round(stars * 2)));

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/**
 * The replayed log, lazily (ml-32m's training set is 24M events). Ratings go by timestamp,
 * ties in file order; positions are increasing opaque tokens in the adapters' format.
 */
export function* replayEvents(dataset: MovieLensDataset, trainRows: readonly number[]): Generator<RecordedEvent> {
  const { ratings } = dataset;
  const ordered = Int32Array.from(trainRows).sort((a, b) => ratings.timestamp[a]! - ratings.timestamp[b]! || a - b);
  let sequence = 0;
  // One object literal per event: spreading a shared envelope into each one cost more than
  // everything else the replay does.
  const recorded = (event: ReelEvent, streamId: string, version: number, occurredAt: string, userId: string | null): RecordedEvent => {
    sequence++;
    return {
      type: event.type,
      data: event.data,
      streamId,
      version,
      position: encodePosition(sequence, sequence),
      eventId: `${EVENT_ID_PREFIX}${sequence.toString(16).padStart(12, '0')}`,
      schemaVersion: eventRegistry.currentVersion(event.type)!,
      occurredAt,
      correlationId: REPLAY_CORRELATION_ID,
      causationId: REPLAY_CORRELATION_ID,
      userId,
    } as RecordedEvent;
  };

  // The catalog exists before anyone rates: it is stamped with the first training rating's time.
  const catalogTime = iso(ordered.length > 0 ? ratings.timestamp[ordered[0]!]! : 0);
  const movieIds = [...new Set(Array.from(ordered, (row) => ratings.movieId[row]!))].sort((a, b) => a - b);
  for (const movieId of movieIds) {
    const movie = dataset.movies.get(movieId) ?? { movieId, rawTitle: '', genres: [], imdbId: null, releaseDate: null };
    const data = titleImportedData(movie);
    yield recorded({ type: 'TitleImported', data }, titleStream(data.titleId), 1, catalogTime, null);
  }

  // MovieLens has one rating per user and title, but a re-rating would be version 2 of its stream.
  const rated = new Map<number, Map<number, number>>();
  for (const row of ordered) {
    const user = ratings.userId[row]!;
    const userId = movieLensUserId(user);
    const occurredAt = iso(ratings.timestamp[row]!);
    let versions = rated.get(user);
    if (versions === undefined) {
      versions = new Map();
      rated.set(user, versions);
      yield recorded(
        { type: 'UserRegistered', data: { userId, displayName: `MovieLens user ${user}` } },
        userStream(userId),
        1,
        occurredAt,
        userId,
      );
    }
    const movieId = ratings.movieId[row]!;
    const version = (versions.get(movieId) ?? 0) + 1;
    versions.set(movieId, version);
    const titleId = movieLensTitleId(movieId);
    const data = { userId, titleId, score: scoreOf(ratings.stars[row]!), containsSpoilers: false };
    yield recorded({ type: 'TitleRated', data }, ratingStream(userId, titleId), version, occurredAt, userId);
  }
}
