import type { MediaType, Recommendations, RecommendationReason } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { decodeCursor, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

/**
 * A lookup in the recommendations projection's output (`read.recommendations`, ranked per user
 * by the projector). Someone without rows of their own (no history yet, or not scored yet) gets
 * the cold-start list kept under user id '*'. Deciding that inside the statement (an InitPlan
 * probing the primary key) keeps it to one round trip.
 *
 * Two fixed statement texts (with and without the type filter) rather than one with
 * `($2 IS NULL OR media_type = $2)`: each stays a named prepared statement whose plan walks its
 * own index, (user_id, rank) or (user_id, media_type, rank), in rank order and stops at LIMIT.
 * The first page asks for ranks after 0, so paging needs no third text either.
 */
const sql = (typed: boolean) => `
  SELECT r.title_id, r.score, r.reasons, ${SUMMARY_COLUMNS}, r.rank::text AS k0
    FROM read.recommendations r
    LEFT JOIN read.titles t ON t.title_id = r.title_id
    LEFT JOIN read.title_stats s ON s.title_id = r.title_id
   WHERE r.user_id = (SELECT CASE WHEN EXISTS (SELECT 1 FROM read.recommendations WHERE user_id = $1::text) THEN $1::text ELSE '*' END)
     ${typed ? 'AND r.media_type = $4::text' : ''}
     AND r.rank > $2::integer
   ORDER BY r.rank
   LIMIT $3`;
const ALL_TYPES_SQL = sql(false);
const ONE_TYPE_SQL = sql(true);

/** Ranks are unique per list, so the rank alone is the keyset. */
const RANK_ORDER: SortKey[] = [{ expr: 'r.rank', dir: 'asc', type: 'int' }];

type Row = SummaryRow & { title_id: string; score: number; reasons: RecommendationReason[]; k0: string };

export type RecommendationsOptions = { limit: number; type?: MediaType; cursor?: string };

export async function recommendationsFor(db: ReadDb, userId: string, options: RecommendationsOptions): Promise<Omit<Recommendations, 'position'>> {
  // The filter is part of the ordering's name: a cursor of `type=movie` pages nothing else (400).
  const order = `recommendations:${options.type ?? 'all'}`;
  const after = decodeCursor(options.cursor, order, RANK_ORDER);
  const values: unknown[] = [userId, after ? Number(after[0]) : 0, options.limit + 1];
  if (options.type) values.push(options.type);
  const rows = await db.prepared<Row>(options.type ? ONE_TYPE_SQL : ALL_TYPES_SQL, values);
  return page(rows, options.limit, order, RANK_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    score: row.score,
    reasons: row.reasons,
  }));
}
