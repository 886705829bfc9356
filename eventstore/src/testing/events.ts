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
