import type { RecordedEvent } from '@reeltime/eventstore';
import type { EventType, ReelEvent } from '@reeltime/schemas';
import { Table } from '../model/table.ts';
import type { DiaryRow, FeedRow, ItemRow, ListRow, PreferencesRow, RatingRow, StatsRow, UserRow } from './rows.ts';

export type EventOf<K extends EventType> = RecordedEvent<Extract<ReelEvent, { type: K }>>;

export const pairKey = (a: string, b: string) => `${a}|${b}`;

/**
 * Feed changes of a batch. Removals are rules (by list, user, rating, item, diary entry),
 * applied to this batch's own new entries and to older rows at flush. Rather than indexing
 * every new entry by every rule's key, each add and each rule gets a sequence number: an
 * entry is gone when a rule matching it came after it (a re-rate removes, then adds).
 */
export class FeedChanges {
  #sequence = 0;
  /** In position order (a bulk load holds every entry of the log here). */
  readonly #added: { row: FeedRow; at: number }[] = [];
  /** Rule kind → key → sequence of its latest removal. */
  readonly #rules = {
    list: new Map<string, number>(),
    user: new Map<string, number>(),
    entry: new Map<string, number>(),
    rating: new Map<string, number>(),
    item: new Map<string, number>(),
  };
  readonly removedLists = new Set<string>();
  readonly removedUsers = new Set<string>();
  readonly removedEntries = new Set<string>();
  readonly removedRatings = new Set<string>();
  readonly removedItems = new Set<string>();

  get inserts(): FeedRow[] {
    const rules = this.#rules;
    const after = (rule: Map<string, number>, key: string | null, at: number) => {
      if (key === null || rule.size === 0) return false;
      const removed = rule.get(key);
      return removed !== undefined && removed > at;
    };
    const rows: FeedRow[] = [];
    for (const { row, at } of this.#added) {
      if (after(rules.user, row.user_id, at) || after(rules.list, row.list_id, at) || after(rules.entry, row.entry_id, at)) continue;
      if (row.kind === 'rated' && row.title_id !== null && after(rules.rating, pairKey(row.user_id, row.title_id), at)) continue;
      if (
        row.kind === 'list_item_added' &&
        row.list_id !== null &&
        row.title_id !== null &&
        after(rules.item, pairKey(row.list_id, row.title_id), at)
      )
        continue;
      rows.push(row);
    }
    return rows;
  }

  /** Entries added (before the removal rules filter them). */
  get size(): number {
    return this.#added.length;
  }

  add(row: FeedRow): void {
    // One entry per event: a second add for the same event replaces the first.
    if (this.#added.at(-1)?.row.position === row.position) this.#added.pop();
    this.#added.push({ row, at: ++this.#sequence });
  }

  removeList(listId: string): void {
    this.removedLists.add(listId);
    this.#rules.list.set(listId, ++this.#sequence);
  }

  removeUser(userId: string): void {
    this.removedUsers.add(userId);
    this.#rules.user.set(userId, ++this.#sequence);
  }

  removeEntry(entryId: string): void {
    this.removedEntries.add(entryId);
    this.#rules.entry.set(entryId, ++this.#sequence);
  }

  removeRating(userId: string, titleId: string): void {
    const key = pairKey(userId, titleId);
    this.removedRatings.add(key);
    this.#rules.rating.set(key, ++this.#sequence);
  }

  removeItem(listId: string, titleId: string): void {
    const key = pairKey(listId, titleId);
    this.removedItems.add(key);
    this.#rules.item.set(key, ++this.#sequence);
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

/** `complete`: for a generation whose tables are still empty (see Table). */
export function emptyActivityState(complete = false): ActivityState {
  return {
    users: new Table<UserRow>('users', (row) => row.user_id, undefined, complete),
    stats: new Table<StatsRow>('title_stats', (row) => row.title_id, undefined, complete),
    ratings: new Table<RatingRow>(
      'ratings',
      (row) => pairKey(row.user_id, row.title_id),
      (row) => row.user_id,
      complete,
    ),
    lists: new Table<ListRow>(
      'lists',
      (row) => row.list_id,
      (row) => row.owner_id,
      complete,
    ),
    items: new Table<ItemRow>(
      'list_items',
      (row) => pairKey(row.list_id, row.title_id),
      (row) => row.list_id,
      complete,
    ),
    diary: new Table<DiaryRow>(
      'diary',
      (row) => row.entry_id,
      (row) => row.user_id,
      complete,
    ),
    preferences: new Table<PreferencesRow>('preferences', (row) => row.user_id, undefined, complete),
    feed: new FeedChanges(),
  };
}

export function isErased(state: ActivityState, userId: string): boolean {
  return state.users.get(userId)?.erased_at != null;
}
