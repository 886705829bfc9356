import { randomUUID } from 'node:crypto';
import { encodePosition, type NewEvent, type RecordedEvent } from '@reeltime/eventstore';
import type { EventData, EventType, ReelEvent } from '@reeltime/schemas';

let sequence = 0;

/** A recorded event for handler tests: positions increase with every call. */
export function recorded<K extends EventType>(
  type: K,
  data: EventData<K>,
  options: { version?: number; occurredAt?: string; streamId?: string } = {},
): RecordedEvent<Extract<ReelEvent, { type: K }>> {
  sequence++;
  return {
    type,
    data,
    eventId: randomUUID(),
    schemaVersion: 1,
    occurredAt: options.occurredAt ?? new Date().toISOString(),
    correlationId: 'test',
    causationId: 'test',
    userId: null,
    streamId: options.streamId ?? 'test',
    version: options.version ?? sequence,
    position: encodePosition(1, sequence),
  } as RecordedEvent<Extract<ReelEvent, { type: K }>>;
}

export function event<K extends EventType>(type: K, data: EventData<K>): NewEvent {
  return { type, data } as NewEvent;
}

/** Streams as the command side names them. */
export const streams = {
  rating: (userId: string, titleId: string) => `rating-${userId}-${titleId}`,
  list: (listId: string) => `list-${listId}`,
  diary: (userId: string) => `diary-${userId}`,
  user: (userId: string) => `user-${userId}`,
  preferences: (userId: string) => `preferences-${userId}`,
  title: (titleId: string) => `title-${titleId.replace(':', '-')}`,
};

export function titleImported(tmdbId: number, title: string, patch: Partial<EventData<'TitleImported'>> = {}): EventData<'TitleImported'> {
  return {
    titleId: `movie:${tmdbId}`,
    mediaType: 'movie',
    tmdbId,
    imdbId: null,
    title,
    originalTitle: title,
    overview: `${title} is a film.`,
    releaseDate: '2001-05-04',
    year: 2001,
    runtimeMinutes: 100,
    originalLanguage: 'en',
    genreIds: [28, 878],
    keywords: [],
    cast: [{ personId: 1, name: 'Ada Actor', character: 'Lead', order: 0 }],
    directors: [{ personId: 2, name: 'Dee Rector' }],
    posterPath: '/poster.jpg',
    backdropPath: null,
    popularity: 10,
    voteAverage: 7,
    voteCount: 100,
    watchProviders: {},
    ...patch,
  };
}

export const uuid = () => randomUUID();
