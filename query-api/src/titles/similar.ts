import type { SimilarTitles } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary.ts';

/**
 * A lookup in the recommendations projection's item-item output (`read.similar_titles`, ranked
 * per title). One round trip answers both "is this a title at all" (no row: 404) and its
 * neighbours (a single row of nulls: a known title nothing is similar to yet).
 */
const SIMILAR_SQL = `
  SELECT sim.similar_id, sim.score, ${SUMMARY_COLUMNS}
    FROM read.titles base
    LEFT JOIN LATERAL (
      SELECT similar_id, score, rank FROM read.similar_titles WHERE title_id = base.title_id ORDER BY rank LIMIT $2
    ) sim ON true
    LEFT JOIN read.titles t ON t.title_id = sim.similar_id
    LEFT JOIN read.title_stats s ON s.title_id = sim.similar_id
   WHERE base.title_id = $1
   ORDER BY sim.rank`;

type Row = SummaryRow & { similar_id: string | null; score: number | null };

export async function similarTitles(db: ReadDb, titleId: string, limit: number): Promise<SimilarTitles | undefined> {
  const rows = await db.prepared<Row>(SIMILAR_SQL, [titleId, limit]);
  if (rows.length === 0) return undefined;
  const items: SimilarTitles['items'] = [];
  for (const row of rows) {
    // The catalog and this projection run independently: a neighbour the catalog has not
    // projected yet is shown by its id, as user data is (toSummary).
    if (row.similar_id !== null) items.push({ title: toSummary(row, row.similar_id), score: row.score ?? 0 });
  }
  return { items };
}
