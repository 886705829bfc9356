import type { SimilarTitles } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary.ts';

/**
 * Computed at query time (no projection yet). Candidates are bounded before scoring: titles
 * sharing a director or a top-billed actor (indexed by person) and the most popular titles
 * sharing a genre (GIN on genre_ids). Score in 0..1: genre Jaccard 0.45, people 0.30,
 * keywords 0.15, same media type 0.05, popularity 0.05.
 */
export const SIMILARITY_SQL = `
  WITH base AS (
    SELECT title_id, media_type, genre_ids,
           ARRAY(SELECT (k->>'id')::int FROM jsonb_array_elements(keywords) k) AS keyword_ids
      FROM read.titles WHERE title_id = $1),
  base_people AS (
    SELECT person_id, role FROM read.title_people WHERE title_id = $1 AND (role = 'director' OR ord < 10)),
  people_match AS (
    SELECT tp.title_id, sum(CASE WHEN tp.role = 'director' AND bp.role = 'director' THEN 1.0 ELSE 0.4 END) AS people
      FROM base_people bp JOIN read.title_people tp ON tp.person_id = bp.person_id
     WHERE tp.title_id <> $1 AND (tp.role = 'director' OR tp.ord < 10)
     GROUP BY tp.title_id ORDER BY people DESC LIMIT 200),
  genre_match AS (
    SELECT t.title_id FROM read.titles t, base b
     WHERE t.genre_ids && b.genre_ids AND t.title_id <> $1
     ORDER BY t.popularity DESC LIMIT 300),
  candidates AS (SELECT title_id FROM people_match UNION SELECT title_id FROM genre_match),
  scored AS (
    SELECT c.title_id, g.shared,
           g.shared::float8 / greatest(1, cardinality(b.genre_ids) + cardinality(t.genre_ids) - g.shared) AS genre_sim,
           least(1.0, coalesce(pm.people, 0) / 2.0)::float8 AS people_sim,
           CASE WHEN cardinality(b.keyword_ids) = 0 THEN 0
                ELSE (SELECT count(*) FROM jsonb_array_elements(t.keywords) k WHERE (k->>'id')::int = ANY(b.keyword_ids))::float8
                     / cardinality(b.keyword_ids) END AS keyword_sim,
           (t.media_type = b.media_type)::int AS same_type,
           ln(1 + greatest(t.popularity, 0)) AS pop
      FROM candidates c
      JOIN read.titles t ON t.title_id = c.title_id
      CROSS JOIN base b
      LEFT JOIN people_match pm ON pm.title_id = c.title_id
      CROSS JOIN LATERAL (SELECT count(*)::int AS shared FROM unnest(t.genre_ids) x WHERE x = ANY(b.genre_ids)) g)
  SELECT sc.title_id,
         round((0.45 * sc.genre_sim + 0.30 * sc.people_sim + 0.15 * least(1, sc.keyword_sim) + 0.05 * sc.same_type
                + 0.05 * sc.pop / nullif(max(sc.pop) OVER (), 0))::numeric, 4)::float8 AS score
    FROM scored sc`;

type Row = SummaryRow & { score: number | null };

export async function similarTitles(db: ReadDb, titleId: string, limit: number): Promise<SimilarTitles | undefined> {
  const exists = await db.prepared('SELECT 1 FROM read.titles WHERE title_id = $1', [titleId]);
  if (exists.length === 0) return undefined;
  const rows = await db.prepared<Row>(
    `WITH sim AS (${SIMILARITY_SQL})
     SELECT ${SUMMARY_COLUMNS}, coalesce(sim.score, 0) AS score
       FROM sim JOIN read.titles t ON t.title_id = sim.title_id LEFT JOIN read.title_stats s ON s.title_id = t.title_id
      ORDER BY sim.score DESC NULLS LAST, t.title_id LIMIT $2`,
    [titleId, limit],
  );
  return { items: rows.map((row) => ({ title: toSummary(row), score: row.score ?? 0 })) };
}
