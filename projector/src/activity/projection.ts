import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { RecordedEvent } from '@reeltime/eventstore';
import type { Notices } from '../model/notices.ts';
import type { Projection } from '../model/projection.ts';
import { copyRows, flushTable, ident, upsertRows, type Queryable } from '../model/sql.ts';
import { diaryEntryRemoved, titleWatched } from './diary.ts';
import {
  listCreated,
  listDeleted,
  listDescriptionChanged,
  listItemAdded,
  listItemRemoved,
  listItemsReordered,
  listRenamed,
  listVisibilityChanged,
} from './lists.ts';
import { loadActivity } from './load.ts';
import { PREFERENCE_EVENTS, preferenceChanged } from './preferences.ts';
import { titleRated, titleUnrated } from './ratings.ts';
import { specs } from './rows.ts';
import { emptyActivityState, FeedChanges, type ActivityState } from './state.ts';
import { ActivityWorkingSet } from './working-set.ts';
import { userErased, userRegistered } from './users.ts';

export function applyActivity(state: ActivityState, event: RecordedEvent, notices: Notices): void {
  switch (event.type) {
    case 'UserRegistered':
      return userRegistered(state, event);
    case 'UserErased':
      return userErased(state, event, notices);
    case 'TitleRated':
      return titleRated(state, event, notices);
    case 'TitleUnrated':
      return titleUnrated(state, event, notices);
    case 'ListCreated':
      return listCreated(state, event, notices);
    case 'ListRenamed':
      return listRenamed(state, event, notices);
    case 'ListDescriptionChanged':
      return listDescriptionChanged(state, event, notices);
    case 'ListVisibilityChanged':
      return listVisibilityChanged(state, event, notices);
    case 'ListItemAdded':
      return listItemAdded(state, event, notices);
    case 'ListItemRemoved':
      return listItemRemoved(state, event, notices);
    case 'ListItemsReordered':
      return listItemsReordered(state, event, notices);
    case 'ListDeleted':
      return listDeleted(state, event, notices);
    case 'TitleWatched':
      return titleWatched(state, event, notices);
    case 'DiaryEntryRemoved':
      return diaryEntryRemoved(state, event, notices);
    case 'TitleImported':
    case 'TitleUpdated':
    case 'ImportStarted':
    case 'ImportProgressed':
    case 'ImportCompleted':
    case 'ImportFailed':
      return;
    default:
      return preferenceChanged(state, event, notices);
  }
}

async function removeFeedEntries(db: Queryable, schema: string, feed: FeedChanges): Promise<void> {
  const split = (keys: Set<string>) => {
    const a: string[] = [];
    const b: string[] = [];
    for (const key of keys) {
      const [x, y] = key.split('|') as [string, string];
      a.push(x);
      b.push(y);
    }
    return [a, b];
  };
  if (feed.removedLists.size + feed.removedUsers.size + feed.removedEntries.size + feed.removedRatings.size + feed.removedItems.size === 0)
    return;
  const [ratingUsers, ratingTitles] = split(feed.removedRatings);
  const [itemLists, itemTitles] = split(feed.removedItems);
  const s = ident(schema);
  await db.query(
    // Every rule probes its index once per key (the OFFSET 0 fences keep the planner from
    // scanning the whole feed on a poor estimate once batches are large), and the positions
    // found then go by primary key.
    `DELETE FROM ${s}.feed WHERE position = ANY(ARRAY(
       SELECT f.position FROM unnest($1::text[]) AS l(list_id) CROSS JOIN LATERAL (
                 SELECT position FROM ${s}.feed f WHERE f.list_id = l.list_id OFFSET 0) f
       UNION ALL SELECT f.position FROM unnest($2::text[]) AS u(user_id) CROSS JOIN LATERAL (
                 SELECT position FROM ${s}.feed f WHERE f.user_id = u.user_id OFFSET 0) f
       UNION ALL SELECT f.position FROM unnest($3::text[]) AS e(entry_id) CROSS JOIN LATERAL (
                 SELECT position FROM ${s}.feed f WHERE f.entry_id = e.entry_id OFFSET 0) f
       UNION ALL SELECT f.position FROM unnest($4::text[], $5::text[]) AS r(user_id, title_id) CROSS JOIN LATERAL (
                 SELECT position FROM ${s}.feed f WHERE f.user_id = r.user_id AND f.title_id = r.title_id AND f.kind = 'rated' OFFSET 0) f
       UNION ALL SELECT f.position FROM unnest($6::text[], $7::text[]) AS i(list_id, title_id) CROSS JOIN LATERAL (
                 SELECT position FROM ${s}.feed f WHERE f.list_id = i.list_id AND f.title_id = i.title_id AND f.kind = 'list_item_added' OFFSET 0) f))`,
    [[...feed.removedLists], [...feed.removedUsers], [...feed.removedEntries], ratingUsers, ratingTitles, itemLists, itemTitles],
  );
}

async function flushActivity(db: Queryable, schema: string, state: ActivityState): Promise<void> {
  await flushTable(db, schema, specs.users, state.users.changes());
  await flushTable(db, schema, specs.lists, state.lists.changes());
  await flushTable(db, schema, specs.items, state.items.changes());
  await flushTable(db, schema, specs.ratings, state.ratings.changes());
  await flushTable(db, schema, specs.diary, state.diary.changes());
  await flushTable(db, schema, specs.preferences, state.preferences.changes());
  await flushTable(db, schema, specs.stats, state.stats.changes());
  // Removal rules first: they concern earlier batches; this batch's own entries are already filtered.
  await removeFeedEntries(db, schema, state.feed);
  await upsertRows(db, schema, specs.feed, state.feed.inserts);
}

/** A bulk load's feed so far: its rules remove older entries (written earlier), its own entries are new. */
async function writeFeed(db: pg.ClientBase, schema: string, feed: FeedChanges): Promise<void> {
  await removeFeedEntries(db, schema, feed);
  await copyRows(db, schema, specs.feed, feed.inserts);
}

export const activityProjection: Projection<ActivityState> = {
  name: 'activity',
  version: 1,
  eventTypes: [
    'UserRegistered',
    'UserErased',
    'ListCreated',
    'ListRenamed',
    'ListDescriptionChanged',
    'ListVisibilityChanged',
    'ListItemAdded',
    'ListItemRemoved',
    'ListItemsReordered',
    'ListDeleted',
    'TitleRated',
    'TitleUnrated',
    'TitleWatched',
    'DiaryEntryRemoved',
    ...PREFERENCE_EVENTS,
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  views: {
    users: 'SELECT user_id, display_name, registered_at FROM {schema}.users WHERE erased_at IS NULL',
    title_stats:
      'SELECT title_id, rating_count, rating_sum, rating_average, watch_count, list_count, trending_score, last_activity_at, updated_at, position FROM {schema}.title_stats',
    ratings: 'SELECT * FROM {schema}.ratings',
    lists:
      'SELECT list_id, owner_id, name, description, visibility, kind, item_count, version, created_at, updated_at, position FROM {schema}.lists',
    list_items: 'SELECT * FROM {schema}.list_items',
    diary: 'SELECT * FROM {schema}.diary',
    preferences: 'SELECT * FROM {schema}.preferences',
    feed: 'SELECT * FROM {schema}.feed',
  },
  // Maintained row by row they cost more than the rows: a build creates them once caught up.
  // The feed's own indexes stay, the removal rules use them on every batch.
  deferredIndexes: [
    'ratings_user_recent',
    'ratings_title',
    'lists_owner',
    'list_items_order',
    'list_items_title',
    'diary_user_recent',
    'diary_user_title',
  ],
  bulk: {
    tables: Object.values(specs).map((spec) => spec.table),
    empty: () => emptyActivityState(true),
    size: (state) =>
      state.users.size +
      state.stats.size +
      state.ratings.size +
      state.lists.size +
      state.items.size +
      state.diary.size +
      state.preferences.size +
      state.feed.size,
    // The feed is drained as the load goes.
    rows: (state) => [
      { spec: specs.users, rows: state.users.changes().upserts },
      { spec: specs.lists, rows: state.lists.changes().upserts },
      { spec: specs.items, rows: state.items.changes().upserts },
      { spec: specs.ratings, rows: state.ratings.changes().upserts },
      { spec: specs.diary, rows: state.diary.changes().upserts },
      { spec: specs.preferences, rows: state.preferences.changes().upserts },
      { spec: specs.stats, rows: state.stats.changes().upserts },
    ],
    drain: (state) => {
      const feed = state.feed;
      state.feed = new FeedChanges();
      return (db, schema) => writeFeed(db, schema, feed);
    },
  },
  workingSet: () => new ActivityWorkingSet(),
  load: loadActivity,
  apply: applyActivity,
  flush: flushActivity,
  flushOnlyWrites: true,
};
