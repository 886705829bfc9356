import type { MediaType, Recommendations, RecommendationReason } from '@reeltime/schemas';
import { sql } from 'slonik';
import type { ReadDb, ReadViews } from '../db.ts';
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
 * The type filter is left out of the text when not asked for (rather than `(x IS NULL OR ...)`),
 * so each shape gets a plan of its own. The first page asks for ranks after 0, so paging needs
 * no third shape either.
 */
const recommendationsQuery = (
  { recommendation_lists, titles, title_stats }: ReadViews,
  userId: string,
  afterRank: number,
  limit: number,
  type: MediaType | undefined,
) => sql.unsafe`
  WITH list AS (
    (SELECT items FROM ${recommendation_lists} WHERE user_id = ${userId}::text
     UNION ALL
     SELECT items FROM ${recommendation_lists} WHERE user_id = '*')
    LIMIT 1
  ), picked AS (
    SELECT e.item, e.rank
      FROM list CROSS JOIN LATERAL json_array_elements(list.items) WITH ORDINALITY AS e(item, rank)
     WHERE e.rank > ${afterRank}::integer ${type ? sql.fragment`AND e.item->>'mediaType' = ${type}::text` : sql.fragment``}
     ORDER BY e.rank
     LIMIT ${limit}
  )
  SELECT p.item->>'titleId' AS title_id, (p.item->>'score')::double precision AS score, p.item->'reasons' AS reasons,
         ${SUMMARY_COLUMNS}, p.rank::text AS k0
    FROM picked p
    LEFT JOIN ${titles} t ON t.title_id = p.item->>'titleId'
    LEFT JOIN ${title_stats} s ON s.title_id = p.item->>'titleId'
   ORDER BY p.rank`;

/** Ranks are unique per list, so the rank alone is the keyset. */
const RANK_ORDER: SortKey[] = [{ expr: sql.fragment`p.rank`, dir: 'asc', type: 'int' }];

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
  const rows = await db.any<Row>(recommendationsQuery(db.read, userId, after ? Number(after[0]) : 0, options.limit + 1, options.type));
  return page(rows, options.limit, order, RANK_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    score: row.score,
    reasons: row.reasons,
  }));
}
