import type { TitlePage, TitleSearchQuery, TitleSort } from '@reeltime/schemas';
import type { ReadDb } from '../db.ts';
import { afterKey, decodeCursor, keyColumns, orderBy, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary.ts';

const TITLE_ID: SortKey = { expr: 't.title_id', dir: 'asc', type: 'text' };

// READMODELS.md sorts, with NULLS LAST spelled as a coalesce to a value below every real one,
// so the key stays comparable in a cursor condition.
const SORTS: Record<Exclude<TitleSort, 'relevance'>, SortKey[]> = {
  popular: [{ expr: 't.popularity', dir: 'desc', type: 'float8' }, TITLE_ID],
  top_rated: [
    { expr: 'coalesce(s.rating_average, -1)', dir: 'desc', type: 'numeric' },
    { expr: 'coalesce(s.rating_count, 0)', dir: 'desc', type: 'int' },
    TITLE_ID,
  ],
  newest: [{ expr: `coalesce(t.release_date, '-infinity'::date)`, dir: 'desc', type: 'date' }, TITLE_ID],
  trending: [
    { expr: `coalesce(s.trending_score, '-Infinity'::float8)`, dir: 'desc', type: 'float8' },
    { expr: 't.popularity', dir: 'desc', type: 'float8' },
    TITLE_ID,
  ],
};

/** Text match rank then trigram similarity; `$1` is the search text. */
const RELEVANCE: SortKey[] = [
  { expr: `ts_rank(t.search, websearch_to_tsquery('simple', $1))`, dir: 'desc', type: 'real' },
  { expr: 'public.word_similarity($1, t.title)', dir: 'desc', type: 'real' },
  TITLE_ID,
];

type Row = SummaryRow & Record<string, unknown>;

export async function searchTitles(db: ReadDb, query: TitleSearchQuery): Promise<TitlePage> {
  const limit = query.limit ?? 20;
  const order: TitleSort = query.sort ?? (query.q !== undefined ? 'relevance' : 'popular');
  const values: unknown[] = [];
  const where: string[] = [];
  if (query.q !== undefined) {
    values.push(query.q);
    where.push(
      `(t.search @@ websearch_to_tsquery('simple', $1) OR $1 OPERATOR(public.<%) t.title OR $1 OPERATOR(public.<%) t.original_title)`,
    );
  }
  if (order === 'relevance' && query.q === undefined) {
    // Relevance without a text has nothing to rank by; popular is what a user means.
    return searchTitles(db, { ...query, sort: 'popular' });
  }
  const sort = order === 'relevance' ? RELEVANCE : SORTS[order];
  if (query.genre !== undefined) {
    values.push(query.genre);
    where.push(`$${values.length}::integer = ANY(t.genre_ids)`);
  }
  if (query.type !== undefined) {
    values.push(query.type);
    where.push(`t.media_type = $${values.length}`);
  }
  if (query.year !== undefined) {
    values.push(query.year);
    where.push(`t.year = $${values.length}`);
  }
  // A range's ends are each optional and inclusive; a title without a year is outside every range.
  if (query.yearFrom !== undefined) {
    values.push(query.yearFrom);
    where.push(`t.year >= $${values.length}`);
  }
  if (query.yearTo !== undefined) {
    values.push(query.yearTo);
    where.push(`t.year <= $${values.length}`);
  }
  const after = decodeCursor(query.cursor, order, sort);
  if (after) where.push(afterKey(sort, after, values));
  values.push(limit + 1);
  const rows = await db.query<Row>(
    `SELECT ${SUMMARY_COLUMNS}, ${keyColumns(sort)}
       FROM read.titles t LEFT JOIN read.title_stats s ON s.title_id = t.title_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${orderBy(sort)}
      LIMIT $${values.length}`,
    values,
  );
  return page(rows, limit, order, sort.length, (row) => toSummary(row));
}
