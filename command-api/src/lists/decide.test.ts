import { describe, expect, it } from 'vitest';
import { fold } from '@reeltime/decider';
import { invalidEvents } from '@reeltime/decider/testing';
import type { ListCommand } from './commands.ts';
import { added, created, given, LIST_ID, OTHER, OWNER } from './given.testing.ts';
import { listDecider, type ListEvent, type ListState } from './index.ts';

const base = { listId: LIST_ID, actorId: OWNER };
const create = { ...base, type: 'CreateList', ownerId: OWNER, name: 'Noir' } as const;

describe('CreateList', () => {
  it('creates a private custom list with an empty description by default', () => {
    given([]).when(create).then([created()]);
  });

  it('stores the trimmed name and the given fields', () => {
    given([])
      .when({ ...create, name: '  Noir  ', description: 'Shadows', visibility: 'public', kind: 'watchlist' })
      .then([created({ description: 'Shadows', visibility: 'public', kind: 'watchlist' })]);
  });

  it('accepts 1 and 100 characters after trimming, counted in code points like the schema', () => {
    given([])
      .when({ ...create, name: ' x ' })
      .then([created({ name: 'x' })]);
    given([])
      .when({ ...create, name: ` ${'a'.repeat(100)} ` })
      .then([created({ name: 'a'.repeat(100) })]);
    given([])
      .when({ ...create, name: '🎬'.repeat(100) })
      .then([created({ name: '🎬'.repeat(100) })]);
  });

  it('refuses a blank name or one over 100 characters', () => {
    given([])
      .when({ ...create, name: '   ' })
      .thenRefused('invalid_name', 409);
    given([])
      .when({ ...create, name: 'a'.repeat(101) })
      .thenRefused('invalid_name', 409);
  });

  it('accepts a description of 1,000 characters and refuses 1,001', () => {
    given([])
      .when({ ...create, description: 'd'.repeat(1000) })
      .then([created({ description: 'd'.repeat(1000) })]);
    given([])
      .when({ ...create, description: 'd'.repeat(1001) })
      .thenRefused('invalid_description', 409);
  });

  it('refuses an existing stream, even a deleted one', () => {
    given([created()]).when(create).thenRefused('list_exists', 409);
    given([created(), { type: 'ListDeleted', data: { listId: LIST_ID } }])
      .when(create)
      .thenRefused('list_exists', 409);
  });

  it('refuses to create a list owned by someone else', () => {
    given([])
      .when({ ...create, actorId: OTHER })
      .thenRefused('not_owner', 403);
  });
});

describe('UpdateList (PATCH)', () => {
  const update = { ...base, type: 'UpdateList' } as const;

  it('yields one event per changed field', () => {
    given([created()])
      .when({ ...update, name: ' Neo-noir ', description: 'Rain', visibility: 'public' })
      .then([
        { type: 'ListRenamed', data: { listId: LIST_ID, name: 'Neo-noir' } },
        { type: 'ListDescriptionChanged', data: { listId: LIST_ID, description: 'Rain' } },
        { type: 'ListVisibilityChanged', data: { listId: LIST_ID, visibility: 'public' } },
      ]);
  });

  it('yields only the fields that changed', () => {
    given([created()])
      .when({ ...update, name: 'Noir', description: 'Rain', visibility: 'private' })
      .then([{ type: 'ListDescriptionChanged', data: { listId: LIST_ID, description: 'Rain' } }]);
  });

  it('yields nothing when nothing changed', () => {
    given([created()]).when(update).thenNothing();
    given([created()])
      .when({ ...update, name: '  Noir ', description: '', visibility: 'private' })
      .thenNothing();
  });

  it('refuses a blank or too long name and a too long description, emitting nothing', () => {
    given([created()])
      .when({ ...update, name: ' ', visibility: 'public' })
      .thenRefused('invalid_name', 409);
    given([created()])
      .when({ ...update, name: 'a'.repeat(101) })
      .thenRefused('invalid_name', 409);
    given([created()])
      .when({ ...update, description: 'd'.repeat(1001), visibility: 'public' })
      .thenRefused('invalid_description', 409);
  });

  it('refuses to rename the watchlist but lets it change the rest', () => {
    const watchlist = [created({ kind: 'watchlist', name: 'Watchlist' })];
    given(watchlist)
      .when({ ...update, name: 'Later', visibility: 'public' })
      .thenRefused('watchlist_protected', 409);
    given(watchlist)
      .when({ ...update, name: 'Watchlist', visibility: 'public' })
      .then([{ type: 'ListVisibilityChanged', data: { listId: LIST_ID, visibility: 'public' } }]);
  });
});

describe('DeleteList', () => {
  const remove = { ...base, type: 'DeleteList' } as const;

  it('deletes a custom list', () => {
    given([created()])
      .when(remove)
      .then([{ type: 'ListDeleted', data: { listId: LIST_ID } }]);
  });

  it('refuses to delete the watchlist', () => {
    given([created({ kind: 'watchlist' })])
      .when(remove)
      .thenRefused('watchlist_protected', 409);
  });
});

describe('who may change a list', () => {
  const changes: ListCommand[] = [
    { ...base, type: 'UpdateList', name: 'Other' },
    { ...base, type: 'AddListItem', titleId: 'movie:1' },
    { ...base, type: 'RemoveListItem', titleId: 'movie:603' },
    { ...base, type: 'ReorderListItems', titleIds: ['movie:603'] },
    { ...base, type: 'DeleteList' },
  ];
  const deleted: ListEvent = { type: 'ListDeleted', data: { listId: LIST_ID } };

  it.each(changes)('$type on a list that does not exist → 404', (command) => {
    given([]).when(command).thenRefused('list_not_found', 404);
  });

  it.each(changes)('$type on a deleted list → 404, even for the owner', (command) => {
    given([created(), added('movie:603'), deleted])
      .when(command)
      .thenRefused('list_not_found', 404);
  });

  it.each(changes)("$type on someone else's private list → 404", (command) => {
    given([created(), added('movie:603')])
      .when({ ...command, actorId: OTHER })
      .thenRefused('list_not_found', 404);
  });

  it.each(changes)("$type on someone else's public list → 403", (command) => {
    given([created({ visibility: 'public' }), added('movie:603')])
      .when({ ...command, actorId: OTHER })
      .thenRefused('not_owner', 403);
  });

  it('refuses a non-owner before any other rule (no existence or content leak)', () => {
    const watchlist = [created({ kind: 'watchlist' }), added('movie:603')];
    given(watchlist)
      .when({ ...base, actorId: OTHER, type: 'DeleteList' })
      .thenRefused('list_not_found', 404);
    given(watchlist)
      .when({ ...base, actorId: OTHER, type: 'AddListItem', titleId: 'movie:603' })
      .thenRefused('list_not_found', 404);
  });
});

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

describe('list stream (evolve)', () => {
  it('folds a full history into the list it describes', () => {
    expect(fold(listDecider, history)).toEqual({
      status: 'active',
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
    expect(state).toMatchObject({ status: 'deleted' });
  });

  it('never changes the state it is given', () => {
    const before = fold(listDecider, history.slice(0, 4));
    const snapshot = structuredClone(before);
    for (const event of history.slice(4)) listDecider.evolve(before, event);
    expect(before).toEqual(snapshot);
    expect(listDecider.initialState).toEqual({ status: 'absent' });
  });
});

describe('decide and evolve together', () => {
  it('replays a session of commands, every event valid against the schemas', () => {
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
    expect(state).toMatchObject({ status: 'deleted', name: 'Neo-noir', items: [{ titleId: 'movie:603', note: 'rewatch' }] });
  });
});
