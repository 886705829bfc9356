import type { SimilarTitles } from '@reeltime/schemas';
import { type ReadDb, readQuery, type ReadViews } from '../db.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary.ts';

/**
 * A lookup in the recommendations projection's item-item output (`read.similar_titles`, ranked
 * per title). One round trip answers both "is this a title at all" (no row: 404) and its
 * neighbours (a single row of nulls: a known title nothing is similar to yet).
 */
const similarQuery = ({ titles, similar_titles, title_stats }: ReadViews, titleId: string, limit: number) => readQuery`
  SELECT sim.similar_id, sim.score, ${SUMMARY_COLUMNS}
    FROM ${titles} base
    LEFT JOIN LATERAL (
      SELECT similar_id, score, rank FROM ${similar_titles} WHERE title_id = base.title_id ORDER BY rank LIMIT ${limit}
    ) sim ON true
    LEFT JOIN ${titles} t ON t.title_id = sim.similar_id
    LEFT JOIN ${title_stats} s ON s.title_id = sim.similar_id
   WHERE base.title_id = ${titleId}
   ORDER BY sim.rank`;

type Row = SummaryRow & { similar_id: string | null; score: number | null };

export async function similarTitles(db: ReadDb, titleId: string, limit: number): Promise<SimilarTitles | undefined> {
  const rows = await db.any<Row>(similarQuery(db.read, titleId, limit));
  if (rows.length === 0) return undefined;
  const items: SimilarTitles['items'] = [];
  for (const row of rows) {
    // The catalog and this projection run independently: a neighbour the catalog has not
    // projected yet is shown by its id, as user data is (toSummary).
    if (row.similar_id !== null) items.push({ title: toSummary(row, row.similar_id), score: row.score ?? 0 });
  }
  return { items };
}
