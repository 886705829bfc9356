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
 * Reads the rows a batch needs in seven statements, whatever its size. Lists and titles come
 * last because erasures and deletions only reveal theirs once ratings, lists and diary are in.
 */
export async function loadActivity(db: Queryable, schema: string, events: readonly RecordedEvent[]): Promise<ActivityState> {
  const s = ident(schema);
  const keys = keysOf(events);
  const state = emptyActivityState();
  const erased = [...keys.erased];

  const users = await db.query<UserRow>(`SELECT * FROM ${s}.users WHERE user_id = ANY($1::text[])`, [[...keys.users]]);
  state.users.seedRows(users.rows);
  state.users.seedMissing(keys.users);

  const [ratingUsers, ratingTitles] = pairs(keys.ratings);
  const ratings = await db.query<RatingRow>(
    `SELECT r.* FROM ${s}.ratings r WHERE (r.user_id, r.title_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     UNION SELECT r.* FROM ${s}.ratings r WHERE r.user_id = ANY($3::text[])`,
    [ratingUsers, ratingTitles, erased],
  );
  state.ratings.seedRows(ratings.rows);
  state.ratings.seedMissing(keys.ratings.keys());

  const lists = await db.query<ListRow>(`SELECT * FROM ${s}.lists WHERE list_id = ANY($1::text[]) OR owner_id = ANY($2::text[])`, [[...keys.lists], erased]);
  state.lists.seedRows(lists.rows);
  state.lists.seedMissing(keys.lists);
  for (const list of lists.rows) if (keys.erased.has(list.owner_id)) keys.wholeLists.add(list.list_id);

  const [itemLists, itemTitles] = pairs(keys.items);
  const items = await db.query<ItemRow>(
    `SELECT i.* FROM ${s}.list_items i WHERE (i.list_id, i.title_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
     UNION SELECT i.* FROM ${s}.list_items i WHERE i.list_id = ANY($3::text[])`,
    [itemLists, itemTitles, [...keys.wholeLists]],
  );
  state.items.seedRows(items.rows);
  state.items.seedMissing(keys.items.keys());

  const diary = await db.query<DiaryRow>(`SELECT * FROM ${s}.diary WHERE entry_id = ANY($1::text[]) OR user_id = ANY($2::text[])`, [[...keys.entries], erased]);
  state.diary.seedRows(diary.rows);
  state.diary.seedMissing(keys.entries);

  const preferences = await db.query<PreferencesRow>(`SELECT * FROM ${s}.preferences WHERE user_id = ANY($1::text[])`, [[...keys.preferences]]);
  state.preferences.seedRows(preferences.rows);
  state.preferences.seedMissing(keys.preferences);

  for (const rows of [ratings.rows, items.rows, diary.rows]) for (const row of rows) keys.titles.add(row.title_id);
  const stats = await db.query<StatsRow>(
    `SELECT title_id, rating_count, rating_sum, watch_count, list_count, trending_score, last_activity_at, updated_at, position
       FROM ${s}.title_stats WHERE title_id = ANY($1::text[])`,
    [[...keys.titles]],
  );
  state.stats.seedRows(stats.rows);
  state.stats.seedMissing(keys.titles);
  return state;
}
