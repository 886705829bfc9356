import { fileURLToPath } from 'node:url';
import type { EventType } from '@reeltime/schemas';
import { PREFERENCE_EVENTS } from '../activity/preferences.ts';
import type { Projection } from '../model/projection.ts';
import { ident, insertRows, type Queryable, type TableSpec } from '../model/sql.ts';
import { RecommendationChanges, RecommendationWorkingSet } from './working-set.ts';

type RecommendationRow = { user_id: string; rank: number; title_id: string; media_type: string; score: number; reasons: unknown };
type SimilarRow = { title_id: string; rank: number; similar_id: string; score: number };

const RECOMMENDATIONS: TableSpec<RecommendationRow> = {
  table: 'recommendations',
  columns: ['user_id', 'rank', 'title_id', 'media_type', 'score', 'reasons'],
  key: ['user_id', 'rank'],
};
const SIMILAR: TableSpec<SimilarRow> = { table: 'similar_titles', columns: ['title_id', 'rank', 'similar_id', 'score'], key: ['title_id', 'rank'] };

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
 * RecommendationWorkingSet): `load` hands out the batch's change set, `apply` folds and
 * re-scores, `flush` replaces the rows of every re-scored user and title.
 */
export const recommendationsProjection: Projection<RecommendationChanges> & { resident: true } = {
  name: 'recommendations',
  version: 1,
  eventTypes: EVENT_TYPES,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  views: {
    recommendations: 'SELECT * FROM {schema}.recommendations',
    similar_titles: 'SELECT * FROM {schema}.similar_titles',
  },
  resident: true,
  workingSet: (context) => {
    if (context === undefined) throw new Error('the recommendations working set needs the projector settings');
    return new RecommendationWorkingSet(context.settings.recommendations, EVENT_TYPES);
  },
  load: () => Promise.reject(new Error('the recommendations projection runs from its working set only')),
  apply: (changes, event, notices) => changes.owner.apply(changes, event, notices),
  flush: writeChanges,
};

async function writeChanges(db: Queryable, schema: string, changes: RecommendationChanges): Promise<void> {
  const users = [...changes.users.keys()];
  if (users.length > 0) {
    await db.query(`DELETE FROM ${ident(schema)}.recommendations WHERE user_id = ANY($1::text[])`, [users]);
    const rows: RecommendationRow[] = [];
    for (const [userId, items] of changes.users) {
      items?.forEach((item, i) => rows.push({ user_id: userId, rank: i + 1, title_id: item.titleId, media_type: item.mediaType, score: item.score, reasons: item.reasons }));
    }
    await insertRows(db, schema, RECOMMENDATIONS, rows);
  }
  const titles = [...changes.similar.keys()];
  if (titles.length > 0) {
    await db.query(`DELETE FROM ${ident(schema)}.similar_titles WHERE title_id = ANY($1::text[])`, [titles]);
    const rows: SimilarRow[] = [];
    for (const [titleId, items] of changes.similar) items.forEach((item, i) => rows.push({ title_id: titleId, rank: i + 1, similar_id: item.titleId, score: item.score }));
    await insertRows(db, schema, SIMILAR, rows);
  }
}
