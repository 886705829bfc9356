import type { Decider } from '@reeltime/decider';
import type { ListCommand } from './commands.ts';
import { decideList } from './decide.ts';
import { evolveList, initialListState, type ListEvent, type ListState } from './state.ts';

export const listDecider: Decider<ListCommand, ListState, ListEvent> = {
  initialState: initialListState,
  decide: decideList,
  evolve: evolveList,
};

export type { AddListItem, CreateList, DeleteList, ListCommand, RemoveListItem, ReorderListItems, UpdateList } from './commands.ts';
export type { ListEvent, ListItem, ListState } from './state.ts';
export { decideList } from './decide.ts';
export { evolveList, initialListState } from './state.ts';
