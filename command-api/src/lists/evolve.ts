import type { ListEvent, ListItem, ListState } from './state.ts';

/** Pure: returns a new state and never touches the one it was given. */
export function evolveList(state: ListState, event: ListEvent): ListState {
  switch (event.type) {
    case 'ListCreated': {
      const { listId, ownerId, name, description, visibility, kind } = event.data;
      return { exists: true, deleted: false, listId, ownerId, name, description, visibility, kind, items: [] };
    }
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
      return { ...state, deleted: true };
  }
}
