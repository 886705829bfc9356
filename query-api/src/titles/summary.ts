import type { TitleSummary } from '@reeltime/schemas';
import { sql } from 'slonik';

/**
 * Columns of a TitleSummary, for queries joining `read.titles t` and `read.title_stats s`. The
 * genres come as json (JSON.parse, native) rather than as a text[] (node-postgres parses array
 * text in JavaScript: a sixth of its row parsing on a page of recommendations).
 */
export const SUMMARY_COLUMNS = sql.fragment`t.title_id AS t_id, t.media_type AS t_type, t.title AS t_title, t.year AS t_year, t.poster_url AS t_poster,
  to_json(t.genres) AS t_genres, s.rating_average::float8 AS t_avg, coalesce(s.rating_count, 0) AS t_count`;

export type SummaryRow = {
  t_id: string | null;
  t_type: string | null;
  t_title: string | null;
  t_year: number | null;
  t_poster: string | null;
  t_genres: string[] | null;
  t_avg: number | null;
  t_count: number | null;
};

/**
 * User data can name a title the catalog has not projected yet (the two projections run
 * independently); such a title is shown by its id rather than dropped.
 */
export function toSummary(row: SummaryRow, titleId?: string): TitleSummary {
  const id = row.t_id ?? titleId ?? '';
  return {
    id,
    type: (row.t_type ?? id.split(':')[0]) as TitleSummary['type'],
    title: row.t_title ?? id,
    year: row.t_year,
    posterUrl: row.t_poster,
    genres: row.t_genres ?? [],
    rating: { average: row.t_avg, count: row.t_count ?? 0 },
  };
}
