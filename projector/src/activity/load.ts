import type { RecordedEvent } from '@reeltime/eventstore';
import { ident, type Queryable } from '../model/sql.ts';
import type { DiaryRow, ItemRow, ListRow, PreferencesRow, RatingRow, StatsRow, UserRow } from './rows.ts';
import { emptyActivityState, pairKey, type ActivityState } from './state.ts';

/** Every key a batch's events may read, found without I/O. */
export type ActivityKeys = {
  users: Set<string>;
  erased: Set<string>;
  ratings: Map<string, [string, string]>;
  lists: Set<string>;
  /** Lists whose every item a handler walks (delete, reorder, visibility). */
  wholeLists: Set<string>;
  items: Map<string, [string, string]>;
  entries: Set<string>;
  preferences: Set<string>;
  titles: Set<string>;
};

export function keysOf(events: readonly RecordedEvent[]): ActivityKeys {
  const keys: ActivityKeys = {
    users: new Set(),
    erased: new Set(),
    ratings: new Map(),
    lists: new Set(),
    wholeLists: new Set(),
    items: new Map(),
    entries: new Set(),
    preferences: new Set(),
    titles: new Set(),
  };
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (typeof data.userId === 'string') keys.users.add(data.userId);
    switch (event.type) {
      case 'UserErased':
        keys.erased.add(event.data.userId);
        keys.preferences.add(event.data.userId);
        break;
      case 'TitleRated':
      case 'TitleUnrated':
        keys.ratings.set(pairKey(event.data.userId, event.data.titleId), [event.data.userId, event.data.titleId]);
        keys.titles.add(event.data.titleId);
        break;
      case 'ListCreated':
        keys.users.add(event.data.ownerId);
        keys.lists.add(event.data.listId);
        break;
      case 'ListRenamed':
      case 'ListDescriptionChanged':
        keys.lists.add(event.data.listId);
        break;
      case 'ListVisibilityChanged':
      case 'ListItemsReordered':
      case 'ListDeleted':
        keys.lists.add(event.data.listId);
        keys.wholeLists.add(event.data.listId);
        break;
      case 'ListItemAdded':
      case 'ListItemRemoved':
        keys.lists.add(event.data.listId);
        keys.items.set(pairKey(event.data.listId, event.data.titleId), [event.data.listId, event.data.titleId]);
        keys.titles.add(event.data.titleId);
        break;
      case 'TitleWatched':
        keys.entries.add(event.data.entryId);
        keys.titles.add(event.data.titleId);
        break;
      case 'DiaryEntryRemoved':
        keys.entries.add(event.data.entryId);
        break;
      case 'UserRegistered':
      case 'TitleImported':
      case 'TitleUpdated':
        break;
      default:
        keys.preferences.add(event.data.userId);
    }
  }
  return keys;
}

const pairs = (map: Map<string, [string, string]>): [string[], string[]] => {
  const a: string[] = [];
  const b: string[] = [];
  for (const [x, y] of map.values()) {
    a.push(x);
    b.push(y);
  }
  return [a, b];
};

/**
 * Where a batch's rows come from: the database, or the working set of a build (same answers).
 * Pair keys are `pairKey(a, b)` → `[a, b]`.
 */
export type ActivitySource = {
  users(ids: string[]): Promise<UserRow[]>;
  /** The ratings of these pairs, and every rating of these users. */
  ratings(pairs: Map<string, [string, string]>, users: string[]): Promise<RatingRow[]>;
  /** These lists, and every list of these owners. */
  lists(ids: string[], owners: string[]): Promise<ListRow[]>;
  /** The items of these pairs, and every item of these lists. */
  items(pairs: Map<string, [string, string]>, lists: string[]): Promise<ItemRow[]>;
  /** These entries, and every entry of these users. */
  diary(ids: string[], users: string[]): Promise<DiaryRow[]>;
  preferences(users: string[]): Promise<PreferencesRow[]>;
  stats(titles: string[]): Promise<StatsRow[]>;
};

/** Seven statements, whatever the batch size. */
export function databaseSource(db: Queryable, schema: string): ActivitySource {
  const s = ident(schema);
  return {
    users: async (ids) => (await db.query<UserRow>(`SELECT * FROM ${s}.users WHERE user_id = ANY($1::text[])`, [ids])).rows,
    ratings: async (keys, users) => {
      const [ratingUsers, ratingTitles] = pairs(keys);
      const { rows } = await db.query<RatingRow>(
        `SELECT r.* FROM ${s}.ratings r WHERE (r.user_id, r.title_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         UNION SELECT r.* FROM ${s}.ratings r WHERE r.user_id = ANY($3::text[])`,
        [ratingUsers, ratingTitles, users],
      );
      return rows;
    },
    lists: async (ids, owners) =>
      (await db.query<ListRow>(`SELECT * FROM ${s}.lists WHERE list_id = ANY($1::text[]) OR owner_id = ANY($2::text[])`, [ids, owners]))
        .rows,
    items: async (keys, lists) => {
      const [itemLists, itemTitles] = pairs(keys);
      const { rows } = await db.query<ItemRow>(
        `SELECT i.* FROM ${s}.list_items i WHERE (i.list_id, i.title_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         UNION SELECT i.* FROM ${s}.list_items i WHERE i.list_id = ANY($3::text[])`,
        [itemLists, itemTitles, lists],
      );
      return rows;
    },
    diary: async (ids, users) =>
      (await db.query<DiaryRow>(`SELECT * FROM ${s}.diary WHERE entry_id = ANY($1::text[]) OR user_id = ANY($2::text[])`, [ids, users]))
        .rows,
    preferences: async (users) =>
      (await db.query<PreferencesRow>(`SELECT * FROM ${s}.preferences WHERE user_id = ANY($1::text[])`, [users])).rows,
    stats: async (titles) =>
      (
        await db.query<StatsRow>(
          `SELECT title_id, rating_count, rating_sum, watch_count, list_count, trending_score, last_activity_at, updated_at, position
             FROM ${s}.title_stats WHERE title_id = ANY($1::text[])`,
          [titles],
        )
      ).rows,
  };
}

export function loadActivity(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<ActivityState> {
  return loadActivityFrom(databaseSource(db, schema), events);
}

/**
 * Reads the rows a batch needs. Lists and titles come last because erasures and deletions
 * only reveal theirs once ratings, lists and diary are in.
 */
export async function loadActivityFrom(source: ActivitySource, events: readonly RecordedEvent[]): Promise<ActivityState> {
  const keys = keysOf(events);
  const state = emptyActivityState();
  const erased = [...keys.erased];

  state.users.seedRows(await source.users([...keys.users]));
  state.users.seedMissing(keys.users);

  const ratings = await source.ratings(keys.ratings, erased);
  state.ratings.seedRows(ratings);
  state.ratings.seedMissing(keys.ratings.keys());

  const lists = await source.lists([...keys.lists], erased);
  state.lists.seedRows(lists);
  state.lists.seedMissing(keys.lists);
  for (const list of lists) if (keys.erased.has(list.owner_id)) keys.wholeLists.add(list.list_id);

  const items = await source.items(keys.items, [...keys.wholeLists]);
  state.items.seedRows(items);
  state.items.seedMissing(keys.items.keys());

  const diary = await source.diary([...keys.entries], erased);
  state.diary.seedRows(diary);
  state.diary.seedMissing(keys.entries);

  state.preferences.seedRows(await source.preferences([...keys.preferences]));
  state.preferences.seedMissing(keys.preferences);

  for (const rows of [ratings, items, diary]) for (const row of rows) keys.titles.add(row.title_id);
  state.stats.seedRows(await source.stats([...keys.titles]));
  state.stats.seedMissing(keys.titles);
  return state;
}
