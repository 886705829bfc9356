import { MAX_LIST_ITEMS } from '@reeltime/schemas';
import { CommandRefused, unreachable } from '@reeltime/decider';
import type { AddListItem, CreateList, ListCommand, ReorderListItems, UpdateList } from './commands.ts';
import { DESCRIPTION_LENGTH, fitsLength, NAME_LENGTH, NOTE_LENGTH } from './limits.ts';
import type { ActiveList, ListEvent, ListState } from './state.ts';

/** Decides a list command against the current state; throws `CommandRefused` when a rule says no. */
export function decideList(command: ListCommand, state: ListState): ListEvent[] {
  if (command.type === 'CreateList') return create(command, state);
  const list = requireOwnedList(state, command.actorId);
  const { listId } = list;
  switch (command.type) {
    case 'UpdateList':
      return update(command, list);
    case 'AddListItem':
      return add(command, list);
    case 'RemoveListItem':
      if (!list.items.some((item) => item.titleId === command.titleId)) {
        throw new CommandRefused('not_in_list', `${command.titleId} is not in the list`);
      }
      return [{ type: 'ListItemRemoved', data: { listId, titleId: command.titleId } }];
    case 'ReorderListItems':
      return reorder(command, list);
    case 'DeleteList':
      if (list.kind === 'watchlist') throw new CommandRefused('watchlist_protected', 'The watchlist cannot be deleted');
      return [{ type: 'ListDeleted', data: { listId } }];
    default:
      return unreachable(command);
  }
}

function create(command: CreateList, state: ListState): ListEvent[] {
  // A deleted list keeps its stream, so its id is taken for good.
  if (state.status !== 'absent') throw new CommandRefused('list_exists', `List ${command.listId} already exists`);
  if (command.actorId !== command.ownerId) throw new CommandRefused('not_owner', 'A list can only be created for oneself', 403);
  const name = validName(command.name);
  const description = validDescription(command.description ?? '');
  const { listId, ownerId, visibility = 'private', kind = 'custom' } = command;
  return [{ type: 'ListCreated', data: { listId, ownerId, name, description, visibility, kind } }];
}

/**
 * Someone else learns nothing about a private list (404, as if it did not exist); a public list
 * is visible anyway, so refusing with 403 says no more than a read would.
 */
function requireOwnedList(state: ListState, actorId: string): ActiveList {
  switch (state.status) {
    case 'absent':
    case 'deleted':
      throw new CommandRefused('list_not_found', 'List not found', 404);
    case 'active':
      if (state.ownerId === actorId) return state;
      if (state.visibility === 'private') throw new CommandRefused('list_not_found', 'List not found', 404);
      throw new CommandRefused('not_owner', 'Only the owner can change this list', 403);
    default:
      return unreachable(state);
  }
}

function update(command: UpdateList, state: ActiveList): ListEvent[] {
  // Validate every field before emitting anything: a PATCH is applied whole or not at all.
  const name = command.name === undefined ? state.name : validName(command.name);
  const description = command.description === undefined ? state.description : validDescription(command.description);
  const visibility = command.visibility ?? state.visibility;
  if (name !== state.name && state.kind === 'watchlist') {
    throw new CommandRefused('watchlist_protected', 'The watchlist cannot be renamed');
  }
  const { listId } = state;
  const events: ListEvent[] = [];
  if (name !== state.name) events.push({ type: 'ListRenamed', data: { listId, name } });
  if (description !== state.description) events.push({ type: 'ListDescriptionChanged', data: { listId, description } });
  if (visibility !== state.visibility) events.push({ type: 'ListVisibilityChanged', data: { listId, visibility } });
  return events;
}

function add(command: AddListItem, state: ActiveList): ListEvent[] {
  const { titleId, note } = command;
  if (state.items.some((item) => item.titleId === titleId)) {
    throw new CommandRefused('already_in_list', `${titleId} is already in the list`);
  }
  if (state.items.length >= MAX_LIST_ITEMS) {
    throw new CommandRefused('list_full', `A list holds at most ${MAX_LIST_ITEMS} titles`);
  }
  if (note !== undefined && !fitsLength(note, NOTE_LENGTH)) {
    throw new CommandRefused('invalid_note', `A note is at most ${NOTE_LENGTH.max} characters`);
  }
  const data = note === undefined ? { listId: state.listId, titleId } : { listId: state.listId, titleId, note };
  return [{ type: 'ListItemAdded', data }];
}

function reorder(command: ReorderListItems, state: ActiveList): ListEvent[] {
  const current = state.items.map((item) => item.titleId);
  const proposed = command.titleIds;
  const currentSet = new Set(current);
  const proposedSet = new Set(proposed);
  // Equal lengths, no repeats and every id known: then both hold exactly the same titles.
  const isPermutation =
    proposed.length === current.length && proposedSet.size === proposed.length && proposed.every((id) => currentSet.has(id));
  if (!isPermutation) {
    throw new CommandRefused('not_a_permutation', 'titleIds must list every current item exactly once');
  }
  if (proposed.every((id, index) => id === current[index])) return [];
  return [{ type: 'ListItemsReordered', data: { listId: state.listId, titleIds: [...proposed] } }];
}

/** Names are stored trimmed, so "  Noir " and "Noir" are the same name. */
function validName(raw: string): string {
  const name = raw.trim();
  if (!fitsLength(name, NAME_LENGTH)) {
    throw new CommandRefused('invalid_name', `A name is ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters after trimming`);
  }
  return name;
}

function validDescription(description: string): string {
  if (!fitsLength(description, DESCRIPTION_LENGTH)) {
    throw new CommandRefused('invalid_description', `A description is at most ${DESCRIPTION_LENGTH.max} characters`);
  }
  return description;
}
