import type { ListChangedUpdate, ListDeletedUpdate, LiveListSummary } from '@reeltime/schemas';
import { channels, type At, type Notices } from '../model/notices.ts';
import { addToFeed } from './feed.ts';
import type { ListRow } from './rows.ts';
import { changeStats } from './stats.ts';
import { isErased, pairKey, type ActivityState, type EventOf } from './state.ts';

type ListEvent = EventOf<
  'ListRenamed' | 'ListDescriptionChanged' | 'ListVisibilityChanged' | 'ListItemAdded' | 'ListItemRemoved' | 'ListItemsReordered'
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a `list.changed` notice says of the change itself: the event type, and its titles. */
type ListChange = DistributiveOmit<ListChangedUpdate, 'type' | 'listId' | 'version' | 'list'>;

export function listSummary(list: ListRow): LiveListSummary {
  return {
    listId: list.list_id,
    ownerId: list.owner_id,
    name: list.name,
    description: list.description,
    visibility: list.visibility,
    kind: list.kind,
    itemCount: list.item_count,
    version: list.version,
  };
}

/** Private lists are announced to their owner and their own channel only, never the feed. */
function announce(notices: Notices, event: At, list: ListRow, change: ListChange): void {
  const data = (): ListChangedUpdate => ({
    type: 'list.changed',
    listId: list.list_id,
    version: list.version,
    list: listSummary(list),
    ...change,
  });
  notices.note(event, channels.list(list.list_id), data);
  notices.note(event, channels.me(list.owner_id), data);
}

const touched = (list: ListRow, event: ListEvent, patch: Partial<ListRow> = {}): ListRow => ({
  ...list,
  ...patch,
  version: event.version,
  updated_at: event.occurredAt,
  position: event.position,
});

const itemsOf = (state: ActivityState, listId: string) => state.items.inGroup(listId);

export function listCreated(state: ActivityState, event: EventOf<'ListCreated'>, notices: Notices): void {
  const { listId, ownerId, name, description, visibility, kind } = event.data;
  if (isErased(state, ownerId) || state.lists.get(listId) !== undefined) return;
  const list: ListRow = {
    list_id: listId,
    owner_id: ownerId,
    name,
    description,
    visibility,
    kind,
    item_count: 0,
    next_ord: 0,
    version: event.version,
    created_at: event.occurredAt,
    updated_at: event.occurredAt,
    position: event.position,
  };
  state.lists.put(list);
  if (visibility === 'public')
    addToFeed(state, notices, event, { kind: 'list_created', userId: ownerId, titleId: null, listId, entryId: null, data: { name } });
  announce(notices, event, list, { change: event.type });
}

export function listRenamed(state: ActivityState, event: EventOf<'ListRenamed'>, notices: Notices): void {
  const list = state.lists.get(event.data.listId);
  if (list === undefined) return;
  const next = touched(list, event, { name: event.data.name });
  state.lists.put(next);
  announce(notices, event, next, { change: event.type });
}

export function listDescriptionChanged(state: ActivityState, event: EventOf<'ListDescriptionChanged'>, notices: Notices): void {
  const list = state.lists.get(event.data.listId);
  if (list === undefined) return;
  const next = touched(list, event, { description: event.data.description });
  state.lists.put(next);
  announce(notices, event, next, { change: event.type });
}

/** list_count counts public lists only, so every item's title moves with the visibility. */
export function listVisibilityChanged(state: ActivityState, event: EventOf<'ListVisibilityChanged'>, notices: Notices): void {
  const list = state.lists.get(event.data.listId);
  if (list === undefined) return;
  const next = touched(list, event, { visibility: event.data.visibility });
  state.lists.put(next);
  if (list.visibility !== next.visibility) {
    const delta = next.visibility === 'public' ? 1 : -1;
    for (const item of itemsOf(state, list.list_id)) changeStats(state, notices, event, item.title_id, { lists: delta });
    if (next.visibility === 'public') {
      addToFeed(state, notices, event, {
        kind: 'list_published',
        userId: list.owner_id,
        titleId: null,
        listId: list.list_id,
        entryId: null,
        data: { name: next.name },
      });
    } else {
      state.feed.removeList(list.list_id);
    }
  }
  announce(notices, event, next, { change: event.type });
}

export function listItemAdded(state: ActivityState, event: EventOf<'ListItemAdded'>, notices: Notices): void {
  const { listId, titleId, note } = event.data;
  const list = state.lists.get(listId);
  if (list === undefined || state.items.get(pairKey(listId, titleId)) !== undefined) return;
  state.items.put({
    list_id: listId,
    title_id: titleId,
    note: note ?? null,
    ord: list.next_ord,
    added_at: event.occurredAt,
    position: event.position,
  });
  const next = touched(list, event, { item_count: list.item_count + 1, next_ord: list.next_ord + 1 });
  state.lists.put(next);
  if (list.visibility === 'public') {
    changeStats(state, notices, event, titleId, { lists: 1, activity: true });
    const data = { name: list.name, ...(note === undefined ? {} : { note }) };
    addToFeed(state, notices, event, { kind: 'list_item_added', userId: list.owner_id, titleId, listId, entryId: null, data });
  }
  announce(notices, event, next, { change: event.type, titleId });
}

export function listItemRemoved(state: ActivityState, event: EventOf<'ListItemRemoved'>, notices: Notices): void {
  const { listId, titleId } = event.data;
  const list = state.lists.get(listId);
  if (list === undefined || state.items.get(pairKey(listId, titleId)) === undefined) return;
  state.items.delete(pairKey(listId, titleId));
  const next = touched(list, event, { item_count: list.item_count - 1 });
  state.lists.put(next);
  if (list.visibility === 'public') changeStats(state, notices, event, titleId, { lists: -1 });
  state.feed.removeItem(listId, titleId);
  announce(notices, event, next, { change: event.type, titleId });
}

export function listItemsReordered(state: ActivityState, event: EventOf<'ListItemsReordered'>, notices: Notices): void {
  const list = state.lists.get(event.data.listId);
  if (list === undefined) return;
  const order = new Map(event.data.titleIds.map((titleId, index) => [titleId, index]));
  // Items the new order does not name (the command forbids it) keep their relative order after it.
  const items = itemsOf(state, list.list_id).sort(
    (a, b) => (order.get(a.title_id) ?? order.size + a.ord) - (order.get(b.title_id) ?? order.size + b.ord),
  );
  items.forEach((item, ord) => {
    if (item.ord !== ord) state.items.put({ ...item, ord });
  });
  const next = touched(list, event, { next_ord: items.length });
  state.lists.put(next);
  announce(notices, event, next, { change: event.type, titleIds: items.map((item) => item.title_id) });
}

export function listDeleted(state: ActivityState, event: EventOf<'ListDeleted'>, notices: Notices): void {
  const list = state.lists.get(event.data.listId);
  if (list === undefined) return;
  deleteList(state, event, notices, { ...list, version: event.version });
}

export function deleteList(state: ActivityState, at: At, notices: Notices, list: ListRow): void {
  for (const item of itemsOf(state, list.list_id)) {
    state.items.delete(pairKey(item.list_id, item.title_id));
    if (list.visibility === 'public') changeStats(state, notices, at, item.title_id, { lists: -1 });
  }
  state.lists.delete(list.list_id);
  state.feed.removeList(list.list_id);
  const data = (): ListDeletedUpdate => ({ type: 'list.deleted', listId: list.list_id, version: list.version });
  notices.note(at, channels.list(list.list_id), data);
  notices.note(at, channels.me(list.owner_id), data);
}
