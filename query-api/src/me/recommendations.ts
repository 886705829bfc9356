import type { Recommendations, RecommendationReason, TitleSummary } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

/*
 * Computed at query time over the read models (no recommendation projection yet; a
 * precomputed per-user model is future work, see README). Every candidate set is bounded
 * (seeds 10, genre and people matches 300, popular and trending 100) so the cost does not
 * grow with the catalog. Weights: similarity to a title you rated ≥ 7: 0.45, liked genres
 * 0.25, liked people 0.2, language and media type 0.05 each, popularity and trending 0.1 each.
 */
const RECOMMENDATIONS_SQL = `
  WITH prefs AS (
    SELECT coalesce(p.liked_genres, '{}') AS liked_genres, coalesce(p.disliked_genres, '{}') AS disliked_genres,
           coalesce(p.liked_people, '{}') AS liked_people, coalesce(p.languages, '{}') AS languages,
           coalesce(p.media_types, '{}') AS media_types
      FROM (SELECT 1) one LEFT JOIN read.preferences p ON p.user_id = $1),
  seen AS (
    SELECT title_id FROM read.ratings WHERE user_id = $1
    UNION SELECT title_id FROM read.diary WHERE user_id = $1),
  seeds AS (
    SELECT r.title_id, t.title, t.genre_ids, r.score
      FROM read.ratings r JOIN read.titles t ON t.title_id = r.title_id
     WHERE r.user_id = $1 AND r.score >= 7
     ORDER BY r.score DESC, r.updated_at DESC LIMIT 10),
  seed_people AS (
    SELECT s.title_id AS seed_id, tp.person_id, tp.role
      FROM seeds s JOIN read.title_people tp ON tp.title_id = s.title_id
     WHERE tp.role = 'director' OR tp.ord < 6),
  by_seed_people AS (
    SELECT tp.title_id, sp.seed_id, sum(CASE WHEN tp.role = 'director' AND sp.role = 'director' THEN 1.0 ELSE 0.4 END) AS people
      FROM seed_people sp JOIN read.title_people tp ON tp.person_id = sp.person_id
     WHERE tp.role = 'director' OR tp.ord < 10
     GROUP BY tp.title_id, sp.seed_id),
  seed_genres AS (SELECT coalesce(array_agg(DISTINCT g), '{}') AS ids FROM seeds, unnest(seeds.genre_ids) g),
  candidates AS (
    SELECT title_id FROM (SELECT DISTINCT title_id FROM by_seed_people LIMIT 300) a
    UNION SELECT title_id FROM (SELECT t.title_id FROM read.titles t, seed_genres sg WHERE t.genre_ids && sg.ids ORDER BY t.popularity DESC LIMIT 300) b
    UNION SELECT title_id FROM (SELECT t.title_id FROM read.titles t, prefs p WHERE t.genre_ids && p.liked_genres ORDER BY t.popularity DESC LIMIT 300) c
    UNION SELECT title_id FROM (SELECT DISTINCT tp.title_id FROM read.title_people tp, prefs p WHERE tp.person_id = ANY(p.liked_people) LIMIT 300) d
    UNION SELECT title_id FROM (SELECT title_id FROM read.titles ORDER BY popularity DESC LIMIT 100) e
    UNION SELECT title_id FROM (SELECT title_id FROM read.title_stats WHERE trending_score IS NOT NULL ORDER BY trending_score DESC LIMIT 100) f),
  eligible AS (
    SELECT t.title_id, t.genre_ids, t.genres, t.original_language, t.media_type, t.popularity
      FROM candidates c JOIN read.titles t ON t.title_id = c.title_id CROSS JOIN prefs p
     WHERE NOT EXISTS (SELECT 1 FROM seen WHERE seen.title_id = c.title_id)
       AND NOT (t.genre_ids && p.disliked_genres)
       AND ($2::text IS NULL OR t.media_type = $2)),
  best_seed AS (
    SELECT DISTINCT ON (e.title_id) e.title_id, s.title_id AS seed_id, s.title AS seed_title,
           ((0.6 * g.shared / greatest(1, cardinality(e.genre_ids) + cardinality(s.genre_ids) - g.shared)
             + 0.4 * least(1.0, coalesce(bsp.people, 0) / 2.0)) * s.score / 10.0)::float8 AS sim
      FROM eligible e CROSS JOIN seeds s
      LEFT JOIN by_seed_people bsp ON bsp.title_id = e.title_id AND bsp.seed_id = s.title_id
      CROSS JOIN LATERAL (SELECT count(*)::int AS shared FROM unnest(e.genre_ids) x WHERE x = ANY(s.genre_ids)) g
     ORDER BY e.title_id, sim DESC, s.title_id),
  liked_person AS (
    SELECT DISTINCT ON (tp.title_id) tp.title_id, tp.name
      FROM eligible e JOIN read.title_people tp ON tp.title_id = e.title_id CROSS JOIN prefs p
     WHERE tp.person_id = ANY(p.liked_people)
     ORDER BY tp.title_id, tp.role = 'director' DESC, tp.ord),
  max_trending AS (SELECT max(trending_score) AS top FROM read.title_stats),
  features AS (
    SELECT e.title_id,
           coalesce(bs.sim, 0) AS similar, bs.seed_id, bs.seed_title,
           ARRAY(SELECT e.genres[i] FROM generate_subscripts(e.genre_ids, 1) i WHERE e.genre_ids[i] = ANY(p.liked_genres)) AS liked_genre_names,
           lp.name AS person_name,
           (e.original_language = ANY(p.languages))::int AS language_match,
           (e.media_type = ANY(p.media_types))::int AS type_match,
           ln(1 + greatest(e.popularity, 0)) / nullif(max(ln(1 + greatest(e.popularity, 0))) OVER (), 0) AS popular,
           coalesce(exp(st.trending_score - mt.top), 0) AS trending
      FROM eligible e CROSS JOIN prefs p CROSS JOIN max_trending mt
      LEFT JOIN best_seed bs ON bs.title_id = e.title_id
      LEFT JOIN liked_person lp ON lp.title_id = e.title_id
      LEFT JOIN read.title_stats st ON st.title_id = e.title_id),
  scored AS (
    SELECT f.*, (0.45 * f.similar + 0.25 * least(1.0, cardinality(f.liked_genre_names) / 2.0) + 0.2 * (f.person_name IS NOT NULL)::int
                 + 0.05 * f.language_match + 0.05 * f.type_match + 0.1 * coalesce(f.popular, 0) + 0.1 * f.trending)::float8 AS score
      FROM features f)
  SELECT sc.similar, sc.seed_id, sc.seed_title, sc.liked_genre_names, sc.person_name, coalesce(sc.popular, 0)::float8 AS popular,
         sc.trending::float8 AS trending, round(sc.score::numeric, 4)::float8 AS score, ${SUMMARY_COLUMNS}
    FROM scored sc JOIN read.titles t ON t.title_id = sc.title_id LEFT JOIN read.title_stats s ON s.title_id = sc.title_id
   ORDER BY sc.score DESC, t.title_id
   LIMIT $3`;

type Row = SummaryRow & {
  similar: number;
  seed_id: string | null;
  seed_title: string | null;
  liked_genre_names: string[];
  person_name: string | null;
  popular: number;
  trending: number;
  score: number;
};

/** The strongest one to three contributions to a score, in words. */
export function reasonsFor(row: Omit<Row, keyof SummaryRow>): RecommendationReason[] {
  const weighted: { weight: number; reason: RecommendationReason }[] = [];
  if (row.seed_id && row.seed_title && row.similar >= 0.1) {
    weighted.push({ weight: 0.45 * row.similar, reason: { kind: 'similar', text: `Because you liked ${row.seed_title}`, titleId: row.seed_id } });
  }
  if (row.liked_genre_names.length > 0) {
    const names = row.liked_genre_names.slice(0, 2).join(' and ');
    weighted.push({ weight: 0.25 * Math.min(1, row.liked_genre_names.length / 2), reason: { kind: 'genre', text: `Because you like ${names}` } });
  }
  if (row.person_name) weighted.push({ weight: 0.2, reason: { kind: 'person', text: `Because you like ${row.person_name}` } });
  if (row.trending >= 0.05) weighted.push({ weight: 0.1 * row.trending, reason: { kind: 'trending', text: 'Trending on Reeltime' } });
  weighted.sort((a, b) => b.weight - a.weight);
  const reasons = weighted.slice(0, 3).map((w) => w.reason);
  if (reasons.length === 0 || (reasons.length < 3 && row.popular >= 0.8)) reasons.push({ kind: 'popular', text: 'Popular right now' });
  return reasons;
}

export async function recommendationsFor(db: ReadDb, userId: string, options: { limit: number; type?: string }): Promise<Omit<Recommendations, 'position'>> {
  const rows = await db.prepared<Row>(RECOMMENDATIONS_SQL, [userId, options.type ?? null, options.limit]);
  return { items: rows.map((row) => ({ title: toSummary(row) as TitleSummary, score: row.score, reasons: reasonsFor(row) })) };
}
