import { MAX_LIST_ITEMS } from '@reeltime/schemas';
import { describe, it } from 'vitest';
import { added, created, given, LIST_ID, OWNER } from './given.testing.ts';
import type { ListEvent } from './state.ts';

const base = { listId: LIST_ID, actorId: OWNER };
const removed = (titleId: string): ListEvent => ({ type: 'ListItemRemoved', data: { listId: LIST_ID, titleId } });
const reordered = (titleIds: string[]): ListEvent => ({ type: 'ListItemsReordered', data: { listId: LIST_ID, titleIds } });

describe('AddListItem', () => {
  const add = (titleId: string, note?: string) =>
    note === undefined ? ({ ...base, type: 'AddListItem', titleId } as const) : ({ ...base, type: 'AddListItem', titleId, note } as const);

  it('adds a title, with or without a note', () => {
    given([created()])
      .when(add('movie:603'))
      .then([added('movie:603')]);
    given([created()])
      .when(add('tv:1396', 'season 2 onwards'))
      .then([added('tv:1396', 'season 2 onwards')]);
  });

  it('refuses the same title twice', () => {
    given([created(), added('movie:603')])
      .when(add('movie:603'))
      .thenRefused('already_in_list', 409);
    given([created(), added('movie:603')])
      .when(add('movie:603', 'again'))
      .thenRefused('already_in_list', 409);
  });

  it('accepts a title again after it was removed', () => {
    given([created(), added('movie:603'), removed('movie:603')])
      .when(add('movie:603'))
      .then([added('movie:603')]);
  });

  it(`accepts item ${MAX_LIST_ITEMS} and refuses item ${MAX_LIST_ITEMS + 1}`, () => {
    const items = Array.from({ length: MAX_LIST_ITEMS }, (_, index) => added(`movie:${index + 1}`));
    given([created(), ...items.slice(1)])
      .when(add('movie:1'))
      .then([added('movie:1')]);
    given([created(), ...items])
      .when(add('tv:1'))
      .thenRefused('list_full', 409);
  });

  it('refuses a note over the schema limit', () => {
    given([created()])
      .when(add('movie:603', 'n'.repeat(500)))
      .then([added('movie:603', 'n'.repeat(500))]);
    given([created()])
      .when(add('movie:603', 'n'.repeat(501)))
      .thenRefused('invalid_note', 409);
  });
});

describe('RemoveListItem', () => {
  const remove = (titleId: string) => ({ ...base, type: 'RemoveListItem', titleId }) as const;

  it('removes a title in the list', () => {
    given([created(), added('movie:603'), added('tv:1396')])
      .when(remove('movie:603'))
      .then([removed('movie:603')]);
  });

  it('refuses a title not in the list', () => {
    given([created()]).when(remove('movie:603')).thenRefused('not_in_list', 409);
    given([created(), added('movie:603'), removed('movie:603')])
      .when(remove('movie:603'))
      .thenRefused('not_in_list', 409);
  });
});

describe('ReorderListItems', () => {
  const reorder = (titleIds: string[]) => ({ ...base, type: 'ReorderListItems', titleIds }) as const;
  const three = [created(), added('movie:1'), added('movie:2'), added('movie:3')];

  it('stores the complete new order', () => {
    given(three)
      .when(reorder(['movie:3', 'movie:1', 'movie:2']))
      .then([reordered(['movie:3', 'movie:1', 'movie:2'])]);
  });

  it('yields nothing for the current order', () => {
    given(three)
      .when(reorder(['movie:1', 'movie:2', 'movie:3']))
      .thenNothing();
    given([created()]).when(reorder([])).thenNothing();
  });

  it.each([
    ['a missing item', ['movie:1', 'movie:2']],
    ['an extra item', ['movie:1', 'movie:2', 'movie:3', 'movie:4']],
    ['an unknown item in place of a current one', ['movie:1', 'movie:2', 'movie:4']],
    ['a repeated item in place of a current one', ['movie:1', 'movie:2', 'movie:2']],
    ['nothing at all', []],
  ])('refuses %s', (_, titleIds) => {
    given(three).when(reorder(titleIds)).thenRefused('not_a_permutation', 409);
  });
});
