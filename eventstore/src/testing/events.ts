import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../port.ts';

/** Small valid product events for store tests. */
export function listCreated(listId = randomUUID(), ownerId = randomUUID()): NewEvent {
  return {
    type: 'ListCreated',
    data: { listId, ownerId, name: 'Favourites', description: '', visibility: 'public', kind: 'custom' },
    metadata: { userId: ownerId, correlationId: `test-${listId}` },
  };
}

export function itemAdded(listId: string, tmdbId: number, eventId?: string): NewEvent {
  return { type: 'ListItemAdded', data: { listId, titleId: `movie:${tmdbId}` }, ...(eventId ? { eventId } : {}) };
}

export function listStream(listId: string): string {
  return `list-${listId}`;
}

/** A minimal catalog entry, enough for commands that require the title to exist. */
export function titleImported(titleId: `${'movie' | 'tv'}:${number}`, title = `Title ${titleId}`): NewEvent {
  const [mediaType, id] = titleId.split(':') as ['movie' | 'tv', string];
  return {
    type: 'TitleImported',
    data: {
      titleId,
      mediaType,
      tmdbId: Number(id),
      imdbId: null,
      title,
      originalTitle: title,
      overview: '',
      releaseDate: null,
      year: null,
      runtimeMinutes: null,
      originalLanguage: 'en',
      genreIds: [],
      keywords: [],
      cast: [],
      directors: [],
      posterPath: null,
      backdropPath: null,
      popularity: 0,
      voteAverage: 0,
      voteCount: 0,
      watchProviders: {},
    },
  };
}
