import type { TitlePage, TitleSearchQuery, TitleSort } from '@reeltime/schemas';
import { sql, type FragmentSqlToken } from 'slonik';
import { NOTHING, type ReadDb, readQuery } from '../db.ts';
import { afterKey, decodeCursor, ordering, page, type Ordering, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary.ts';

const TITLE_ID: SortKey = { expr: sql.fragment`t.title_id`, dir: 'asc', type: 'text' };

// READMODELS.md sorts, with NULLS LAST spelled as a coalesce to a value below every real one,
// so the key stays comparable in a cursor condition.
const SORTS: Record<Exclude<TitleSort, 'relevance'>, Ordering> = {
  popular: ordering([{ expr: sql.fragment`t.popularity`, dir: 'desc', type: 'float8' }, TITLE_ID]),
  top_rated: ordering([
    { expr: sql.fragment`coalesce(s.rating_average, -1)`, dir: 'desc', type: 'numeric' },
    { expr: sql.fragment`coalesce(s.rating_count, 0)`, dir: 'desc', type: 'int' },
    TITLE_ID,
  ]),
  newest: ordering([{ expr: sql.fragment`coalesce(t.release_date, '-infinity'::date)`, dir: 'desc', type: 'date' }, TITLE_ID]),
  trending: ordering([
    { expr: sql.fragment`coalesce(s.trending_score, '-Infinity'::float8)`, dir: 'desc', type: 'float8' },
    { expr: sql.fragment`t.popularity`, dir: 'desc', type: 'float8' },
    TITLE_ID,
  ]),
};

/** Text match rank then trigram similarity, for the search text `q` (a value in the expressions, so built per request). */
const relevance = (q: string): Ordering =>
  ordering([
    { expr: sql.fragment`ts_rank(t.search, websearch_to_tsquery('simple', ${q}))`, dir: 'desc', type: 'real' },
    { expr: sql.fragment`public.word_similarity(${q}, t.title)`, dir: 'desc', type: 'real' },
    TITLE_ID,
  ]);

type Row = SummaryRow & Record<string, unknown>;

export async function searchTitles(db: ReadDb, query: TitleSearchQuery): Promise<TitlePage> {
  const limit = query.limit ?? 20;
  const order: TitleSort = query.sort ?? (query.q !== undefined ? 'relevance' : 'popular');
  if (order === 'relevance' && query.q === undefined) {
    // Relevance without a text has nothing to rank by; popular is what a user means.
    return searchTitles(db, { ...query, sort: 'popular' });
  }
  const sort = order === 'relevance' ? relevance(query.q!) : SORTS[order];
  const where: FragmentSqlToken[] = [];
  const { q } = query;
  if (q !== undefined) {
    where.push(
      sql.fragment`(t.search @@ websearch_to_tsquery('simple', ${q}) OR ${q} OPERATOR(public.<%) t.title OR ${q} OPERATOR(public.<%) t.original_title)`,
    );
  }
  if (query.genre !== undefined) where.push(sql.fragment`${query.genre}::integer = ANY(t.genre_ids)`);
  if (query.type !== undefined) where.push(sql.fragment`t.media_type = ${query.type}`);
  if (query.year !== undefined) where.push(sql.fragment`t.year = ${query.year}`);
  // A range's ends are each optional and inclusive; a title without a year is outside every range.
  if (query.yearFrom !== undefined) where.push(sql.fragment`t.year >= ${query.yearFrom}`);
  if (query.yearTo !== undefined) where.push(sql.fragment`t.year <= ${query.yearTo}`);
  const after = decodeCursor(query.cursor, order, sort.keys);
  if (after) where.push(afterKey(sort.keys, after));
  const { titles, title_stats } = db.read;
  const rows = await db.any<Row>(
    readQuery`SELECT ${SUMMARY_COLUMNS}, ${sort.keyColumns}
       FROM ${titles} t LEFT JOIN ${title_stats} s ON s.title_id = t.title_id
      ${where.length ? sql.fragment`WHERE ${sql.join(where, sql.fragment` AND `)}` : NOTHING}
      ORDER BY ${sort.orderBy}
      LIMIT ${limit + 1}`,
  );
  return page(rows, limit, order, sort.keys.length, (row) => toSummary(row));
}
