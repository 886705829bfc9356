import type { MediaType, Recommendations, RecommendationReason } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { decodeCursor, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

/**
 * A lookup in the recommendations projection's output: one row per user holding their ranked
 * list (`read.recommendation_lists`, JSON items `{titleId, mediaType, score, reasons}`).
 * Someone without a list of their own (no history yet, or not scored yet) gets the cold-start
 * list kept under user id '*': the UNION ALL under LIMIT 1 reads the second branch only when
 * the first found nothing. The list is unnested once, filtered and cut to the page before the
 * catalog joins, so a request reads one list and the page's titles, in one round trip.
 *
 * Two fixed statement texts (with and without the type filter) rather than one with
 * `($2 IS NULL OR ...)`: each stays a named prepared statement with a plan of its own. The
 * first page asks for ranks after 0, so paging needs no third text either.
 */
const sql = (typed: boolean) => `
  WITH list AS (
    (SELECT items FROM read.recommendation_lists WHERE user_id = $1::text
     UNION ALL
     SELECT items FROM read.recommendation_lists WHERE user_id = '*')
    LIMIT 1
  ), picked AS (
    SELECT e.item, e.rank
      FROM list CROSS JOIN LATERAL json_array_elements(list.items) WITH ORDINALITY AS e(item, rank)
     WHERE e.rank > $2::integer ${typed ? "AND e.item->>'mediaType' = $4::text" : ''}
     ORDER BY e.rank
     LIMIT $3
  )
  SELECT p.item->>'titleId' AS title_id, (p.item->>'score')::double precision AS score, p.item->'reasons' AS reasons,
         ${SUMMARY_COLUMNS}, p.rank::text AS k0
    FROM picked p
    LEFT JOIN read.titles t ON t.title_id = p.item->>'titleId'
    LEFT JOIN read.title_stats s ON s.title_id = p.item->>'titleId'
   ORDER BY p.rank`;
const ALL_TYPES_SQL = sql(false);
const ONE_TYPE_SQL = sql(true);

/** Ranks are unique per list, so the rank alone is the keyset. */
const RANK_ORDER: SortKey[] = [{ expr: 'p.rank', dir: 'asc', type: 'int' }];

type Row = SummaryRow & { title_id: string; score: number; reasons: RecommendationReason[]; k0: string };

export type RecommendationsOptions = { limit: number; type?: MediaType; cursor?: string };

export async function recommendationsFor(
  db: ReadDb,
  userId: string,
  options: RecommendationsOptions,
): Promise<Omit<Recommendations, 'position'>> {
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
