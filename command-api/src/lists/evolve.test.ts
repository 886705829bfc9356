import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import type { ListCommand } from './commands.ts';
import { invalidEvents } from '@reeltime/decider/testing';
import { added, created, LIST_ID, OWNER } from './given.testing.ts';
import { listDecider, type ListEvent, type ListState } from './index.ts';

const history: ListEvent[] = [
  created(),
  added('movie:1', 'first'),
  added('movie:2'),
  added('tv:3', 'third'),
  { type: 'ListRenamed', data: { listId: LIST_ID, name: 'Neo-noir' } },
  { type: 'ListDescriptionChanged', data: { listId: LIST_ID, description: 'Rain' } },
  { type: 'ListVisibilityChanged', data: { listId: LIST_ID, visibility: 'public' } },
  { type: 'ListItemRemoved', data: { listId: LIST_ID, titleId: 'movie:2' } },
  { type: 'ListItemsReordered', data: { listId: LIST_ID, titleIds: ['tv:3', 'movie:1'] } },
];

describe('evolve', () => {
  it('folds a full history into the list it describes', () => {
    expect(fold(listDecider, history)).toEqual({
      exists: true,
      deleted: false,
      listId: LIST_ID,
      ownerId: OWNER,
      kind: 'custom',
      name: 'Neo-noir',
      description: 'Rain',
      visibility: 'public',
      // Notes follow their titles through a reorder.
      items: [
        { titleId: 'tv:3', note: 'third' },
        { titleId: 'movie:1', note: 'first' },
      ],
    } satisfies ListState);
  });

  it('marks a deleted list', () => {
    const state = fold(listDecider, [...history, { type: 'ListDeleted', data: { listId: LIST_ID } }]);
    expect(state).toMatchObject({ exists: true, deleted: true });
  });

  it('never changes the state it is given', () => {
    const before = fold(listDecider, history.slice(0, 4));
    const snapshot = structuredClone(before);
    for (const event of history.slice(4)) listDecider.evolve(before, event);
    expect(before).toEqual(snapshot);
    expect(listDecider.initialState.exists).toBe(false);
  });
});

describe('decide and evolve together', () => {
  it('replays a session of commands, every event valid against the schemas', () => {
    const base = { listId: LIST_ID, actorId: OWNER };
    const session: ListCommand[] = [
      { ...base, type: 'CreateList', ownerId: OWNER, name: ' Noir ', description: 'Shadows', visibility: 'public' },
      { ...base, type: 'AddListItem', titleId: 'movie:603', note: 'rewatch' },
      { ...base, type: 'AddListItem', titleId: 'tv:1396' },
      { ...base, type: 'ReorderListItems', titleIds: ['tv:1396', 'movie:603'] },
      { ...base, type: 'UpdateList', name: 'Neo-noir', description: '', visibility: 'private' },
      { ...base, type: 'RemoveListItem', titleId: 'tv:1396' },
      { ...base, type: 'DeleteList' },
    ];
    const events: ListEvent[] = [];
    let state = listDecider.initialState;
    for (const command of session) {
      const produced = listDecider.decide(command, state);
      events.push(...produced);
      state = produced.reduce(listDecider.evolve, state);
    }
    expect(invalidEvents(events)).toEqual([]);
    expect(events.map((event) => event.type)).toEqual([
      'ListCreated',
      'ListItemAdded',
      'ListItemAdded',
      'ListItemsReordered',
      'ListRenamed',
      'ListDescriptionChanged',
      'ListVisibilityChanged',
      'ListItemRemoved',
      'ListDeleted',
    ]);
    expect(fold(listDecider, events)).toEqual(state);
    expect(state).toMatchObject({ deleted: true, name: 'Neo-noir', items: [{ titleId: 'movie:603', note: 'rewatch' }] });
  });
});
