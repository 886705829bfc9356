import type { EventData } from '@reeltime/schemas';
import { given as givenDecider } from '@reeltime/decider/testing';
import { listDecider } from './index.ts';
import type { ListEvent } from './state.ts';

export const OWNER = '11111111-1111-4111-8111-111111111111';
export const OTHER = '22222222-2222-4222-8222-222222222222';
export const LIST_ID = '33333333-3333-4333-8333-333333333333';

export function created(overrides: Partial<EventData<'ListCreated'>> = {}): ListEvent {
  return {
    type: 'ListCreated',
    data: { listId: LIST_ID, ownerId: OWNER, name: 'Noir', description: '', visibility: 'private', kind: 'custom', ...overrides },
  };
}

export function added(titleId: string, note?: string): ListEvent {
  return { type: 'ListItemAdded', data: note === undefined ? { listId: LIST_ID, titleId } : { listId: LIST_ID, titleId, note } };
}

/** given(history).when(command).then(events) | .thenNothing() | .thenRefused(code, status), for lists. */
export const given = (history: readonly ListEvent[]) => givenDecider(listDecider, history);
