import { fileURLToPath } from 'node:url';
import type { EventType } from '@reeltime/schemas';
import { PREFERENCE_EVENTS } from '../activity/preferences.ts';
import type { Projection } from '../model/projection.ts';
import { ident, insertRows, type Queryable, type TableSpec } from '../model/sql.ts';
import { ITEMS_VIEW, storedItem, type StoredItem } from './lists.ts';
import { RecommendationChanges, RecommendationWorkingSet } from './working-set.ts';

type SimilarRow = { title_id: string; rank: number; similar_id: string; score: number };

const SIMILAR: TableSpec<SimilarRow> = {
  table: 'similar_titles',
  columns: ['title_id', 'rank', 'similar_id', 'score'],
  key: ['title_id', 'rank'],
};

const EVENT_TYPES: readonly EventType[] = [
  'TitleImported',
  'TitleUpdated',
  'UserRegistered',
  'UserErased',
  'TitleRated',
  'TitleUnrated',
  'TitleWatched',
  'DiaryEntryRemoved',
  'ListCreated',
  'ListItemAdded',
  'ListItemRemoved',
  'ListDeleted',
  ...PREFERENCE_EVENTS,
];

/**
 * Per-user recommendations and per-title similar titles, from an in-memory engine (see
 * RecommendationWorkingSet): `load` hands out the batch's change set, `apply` folds, `settle`
 * re-scores each user the batch touched, `flush` replaces the rows of every re-scored user and title.
 */
export const recommendationsProjection: Projection<RecommendationChanges> & { resident: true } = {
  name: 'recommendations',
  // 2: one row per user holding their ranked list (was one row per title).
  // 3: the list compact, its reasons as codes whose texts the views fill in (see lists.ts).
  // 4: the list as jsonb (was json): a page's read takes its items' fields out without parsing.
  // 5: each item carries the names of the titles its reasons mention (no name table to look up).
  version: 5,
  eventTypes: EVENT_TYPES,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  views: {
    // One row per list item, reasons rendered (lists.ts); a lookup by user_id reads one row and
    // unnests it. The query API pages `recommendation_lists` (the name query-api/src/db.ts
    // knows); `recommendations` is the same view, the name for reading by hand and in tests.
    recommendation_lists: ITEMS_VIEW,
    recommendations: ITEMS_VIEW,
    similar_titles: 'SELECT * FROM {schema}.similar_titles',
  },
  resident: true,
  // Re-scoring takes tens of ms per batch and per upkeep step: off the event loop that the feed's notices share.
  ownThread: { module: import.meta.url, exportName: 'recommendationsProjection' },
  // A user's list changes within a second of their rating (issue 12) with batches of a quarter
  // second, and its commits then hold back the other projections' reads 4 times a second, not 20.
  liveBatchMs: 250,
  workingSet: (context) => {
    if (context === undefined) throw new Error('the recommendations working set needs the projector settings');
    return new RecommendationWorkingSet(context.settings.recommendations, EVENT_TYPES);
  },
  load: () => Promise.reject(new Error('the recommendations projection runs from its working set only')),
  apply: (changes, event) => changes.owner.applyEvent(changes, event),
  settle: (changes, notices) => changes.owner.settle(changes, notices),
  flush: writeChanges,
};

async function writeChanges(db: Queryable, schema: string, changes: RecommendationChanges): Promise<void> {
  const erased: string[] = [];
  const lists: Record<string, StoredItem[]> = {};
  const nameOf = (titleId: string) => changes.owner.nameShown(titleId);
  for (const [userId, items] of changes.users) {
    if (items === null) erased.push(userId);
    else lists[userId] = items.map((item) => storedItem(item, nameOf));
  }
  if (erased.length > 0) await db.query(`DELETE FROM ${ident(schema)}.recommendations WHERE user_id = ANY($1::text[])`, [erased]);
  if (erased.length < changes.users.size) {
    // One JSON object {userId: items} for the whole batch: one parameter, split by json_each
    // (a scan of the text) and each list parsed into jsonb. Not a jsonb parameter (parsing one
    // big jsonb object is five times the cost), nor a text[] of lists (node-postgres escapes
    // array elements at three times the cost of JSON.stringify).
    await db.query(
      `INSERT INTO ${ident(schema)}.recommendations (user_id, items)
       SELECT key, value::jsonb FROM json_each($1::json)
       ON CONFLICT (user_id) DO UPDATE SET items = EXCLUDED.items`,
      [JSON.stringify(lists)],
    );
  }
  const titles = [...changes.similar.keys()];
  if (titles.length > 0) {
    await db.query(`DELETE FROM ${ident(schema)}.similar_titles WHERE title_id = ANY($1::text[])`, [titles]);
    const rows: SimilarRow[] = [];
    for (const [titleId, items] of changes.similar)
      items.forEach((item, i) => rows.push({ title_id: titleId, rank: i + 1, similar_id: item.titleId, score: item.score }));
    await insertRows(db, schema, SIMILAR, rows);
  }
}
