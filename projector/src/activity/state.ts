import type { RecordedEvent } from '@reeltime/eventstore';
import type { EventType, ReelEvent } from '@reeltime/schemas';
import { Table } from '../model/table.ts';
import type { DiaryRow, FeedRow, ItemRow, ListRow, PreferencesRow, RatingRow, StatsRow, UserRow } from './rows.ts';

export type EventOf<K extends EventType> = RecordedEvent<Extract<ReelEvent, { type: K }>>;

export const pairKey = (a: string, b: string) => `${a}|${b}`;

/**
 * Feed changes of a batch. Removals are rules (by list, user, rating, item, diary entry),
 * applied to this batch's own new entries at once and to older rows at flush. New entries
 * are indexed by every rule's key: a batch of ratings removes as often as it adds.
 */
export class FeedChanges {
  readonly #inserts = new Map<string, FeedRow>();
  readonly #index = new Map<string, Set<string>>();
  readonly removedLists = new Set<string>();
  readonly removedUsers = new Set<string>();
  readonly removedEntries = new Set<string>();
  readonly removedRatings = new Set<string>();
  readonly removedItems = new Set<string>();

  get inserts(): FeedRow[] {
    return [...this.#inserts.values()];
  }

  static #keys(row: FeedRow): string[] {
    const keys = [`user:${row.user_id}`];
    if (row.list_id !== null) keys.push(`list:${row.list_id}`);
    if (row.entry_id !== null) keys.push(`entry:${row.entry_id}`);
    if (row.kind === 'rated' && row.title_id !== null) keys.push(`rating:${pairKey(row.user_id, row.title_id)}`);
    if (row.kind === 'list_item_added' && row.list_id !== null && row.title_id !== null) keys.push(`item:${pairKey(row.list_id, row.title_id)}`);
    return keys;
  }

  add(row: FeedRow): void {
    this.#inserts.set(row.position, row);
    for (const key of FeedChanges.#keys(row)) {
      let positions = this.#index.get(key);
      if (positions === undefined) this.#index.set(key, (positions = new Set()));
      positions.add(row.position);
    }
  }

  #drop(key: string): void {
    const positions = this.#index.get(key);
    if (positions === undefined) return;
    this.#index.delete(key);
    for (const position of positions) this.#inserts.delete(position);
  }

  removeList(listId: string): void {
    this.removedLists.add(listId);
    this.#drop(`list:${listId}`);
  }

  removeUser(userId: string): void {
    this.removedUsers.add(userId);
    this.#drop(`user:${userId}`);
  }

  removeEntry(entryId: string): void {
    this.removedEntries.add(entryId);
    this.#drop(`entry:${entryId}`);
  }

  removeRating(userId: string, titleId: string): void {
    this.removedRatings.add(pairKey(userId, titleId));
    this.#drop(`rating:${pairKey(userId, titleId)}`);
  }

  removeItem(listId: string, titleId: string): void {
    this.removedItems.add(pairKey(listId, titleId));
    this.#drop(`item:${pairKey(listId, titleId)}`);
  }
}

export type ActivityState = {
  users: Table<UserRow>;
  stats: Table<StatsRow>;
  ratings: Table<RatingRow>;
  lists: Table<ListRow>;
  items: Table<ItemRow>;
  diary: Table<DiaryRow>;
  preferences: Table<PreferencesRow>;
  feed: FeedChanges;
};

export function emptyActivityState(): ActivityState {
  return {
    users: new Table<UserRow>('users', (row) => row.user_id),
    stats: new Table<StatsRow>('title_stats', (row) => row.title_id),
    ratings: new Table<RatingRow>('ratings', (row) => pairKey(row.user_id, row.title_id)),
    lists: new Table<ListRow>('lists', (row) => row.list_id),
    items: new Table<ItemRow>('list_items', (row) => pairKey(row.list_id, row.title_id)),
    diary: new Table<DiaryRow>('diary', (row) => row.entry_id),
    preferences: new Table<PreferencesRow>('preferences', (row) => row.user_id),
    feed: new FeedChanges(),
  };
}

export function isErased(state: ActivityState, userId: string): boolean {
  return state.users.get(userId)?.erased_at != null;
}
