import { unreachable } from '@reeltime/decider';
import type {
  ListDescription,
  ListId,
  ListItemNote,
  ListKind,
  ListName,
  ListVisibility,
  ReelEvent,
  TitleId,
  UserId,
} from '@reeltime/schemas';

export type ListEvent = Extract<
  ReelEvent,
  {
    type:
      | 'ListCreated'
      | 'ListRenamed'
      | 'ListDescriptionChanged'
      | 'ListVisibilityChanged'
      | 'ListItemAdded'
      | 'ListItemRemoved'
      | 'ListItemsReordered'
      | 'ListDeleted';
  }
>;

export type ListItem = { titleId: TitleId; note?: ListItemNote };

/** What a list holds once created; a deleted list keeps what it held when it was deleted. */
type ListFields = {
  listId: ListId;
  ownerId: UserId;
  kind: ListKind;
  name: ListName;
  description: ListDescription;
  visibility: ListVisibility;
  items: readonly ListItem[];
};

export type ActiveList = { status: 'active' } & ListFields;

/**
 * The list as its events left it: none yet (`absent`, before `ListCreated`), `active`, or
 * `deleted`. A deleted list keeps its stream, so its id stays taken and nothing changes it again.
 */
export type ListState = { status: 'absent' } | ActiveList | ({ status: 'deleted' } & ListFields);

export const initialListState: ListState = { status: 'absent' };

/** Pure: returns a new state and never touches the one it was given. */
export function evolveList(state: ListState, event: ListEvent): ListState {
  if (event.type === 'ListCreated') {
    const { listId, ownerId, name, description, visibility, kind } = event.data;
    return { status: 'active', listId, ownerId, name, description, visibility, kind, items: [] };
  }
  // decide() produces nothing else for a list that is absent or deleted, so no stream holds
  // such an event; one would change nothing rather than make the stream unreadable.
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'ListRenamed':
      return { ...state, name: event.data.name };
    case 'ListDescriptionChanged':
      return { ...state, description: event.data.description };
    case 'ListVisibilityChanged':
      return { ...state, visibility: event.data.visibility };
    case 'ListItemAdded': {
      const { titleId, note } = event.data;
      const item: ListItem = note === undefined ? { titleId } : { titleId, note };
      return { ...state, items: [...state.items, item] };
    }
    case 'ListItemRemoved':
      return { ...state, items: state.items.filter((item) => item.titleId !== event.data.titleId) };
    case 'ListItemsReordered': {
      // The event carries ids only; notes travel with their titles.
      const byId = new Map(state.items.map((item) => [item.titleId, item]));
      const items = event.data.titleIds.flatMap((titleId) => byId.get(titleId) ?? []);
      return { ...state, items };
    }
    case 'ListDeleted':
      return { ...state, status: 'deleted' };
    default:
      return unreachable(event);
  }
}
