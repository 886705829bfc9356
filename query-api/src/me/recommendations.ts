import { describeReason, type MediaType, type ReasonCode, type Recommendations } from '@reeltime/schemas';
import { sql, type FragmentSqlToken } from 'slonik';
import { NOTHING, type ReadDb, readQuery, type ReadViews } from '../db.ts';
import { decodeCursor, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

/**
 * A page of a ranked list in the recommendations projection's output,
 * `read.recommendation_lists`: one row per item (`rank`, `title_id`, `media_type`, `score`,
 * `reason_codes`, `reason_titles`), unnested from the one stored row per user.
 *
 * The page is cut (rank, type filter, LIMIT) in a subquery of its own before the catalog joins,
 * so they run for the page's items, not the ~70 of the list. The reasons' texts are filled in
 * here, by `describeReason`, from the stored codes and the names stored beside them: nothing is
 * looked up per item but the title's summary (the test "reads a page with no query per item"
 * holds the plan to that).
 *
 * `owner` is whose list: the caller's, or (`coldStartFor`) theirs if they have one, else the
 * cold-start list kept under user id '*'.
 *
 * The type filter is left out of the text when not asked for (rather than `(x IS NULL OR ...)`),
 * so each shape gets a plan of its own. The first page asks for ranks after 0, so paging needs
 * no third shape either.
 */
export const recommendationsQuery = (
  { recommendation_lists, titles, title_stats }: ReadViews,
  owner: FragmentSqlToken,
  afterRank: number,
  limit: number,
  type: MediaType | undefined,
) => readQuery`
  WITH picked AS (
    SELECT r.title_id, r.score, r.reason_codes, r.reason_titles, r.rank
      FROM ${recommendation_lists} r
     WHERE r.user_id = ${owner}
       AND r.rank > ${afterRank}::integer ${type ? sql.fragment`AND r.media_type = ${type}::text` : NOTHING}
     ORDER BY r.rank
     LIMIT ${limit}
  )
  SELECT p.title_id, p.score, p.reason_codes, p.reason_titles, ${SUMMARY_COLUMNS}, p.rank::text AS k0
    FROM picked p
    LEFT JOIN ${titles} t ON t.title_id = p.title_id
    LEFT JOIN ${title_stats} s ON s.title_id = p.title_id
   ORDER BY p.rank`;

/** The caller's list if they have one, else the cold-start list ('*'). */
export const coldStartFor = ({ recommendation_lists }: ReadViews, userId: string) =>
  sql.fragment`coalesce((SELECT o.user_id FROM ${recommendation_lists} o WHERE o.user_id = ${userId}::text LIMIT 1), '*')`;

/** Ranks are unique per list, so the rank alone is the keyset. */
const RANK_ORDER: SortKey[] = [{ expr: sql.fragment`p.rank`, dir: 'asc', type: 'int' }];

type Row = SummaryRow & {
  title_id: string;
  score: number;
  reason_codes: ReasonCode[];
  /** Names of the titles the reasons mention (null when none do). */
  reason_titles: Record<string, string> | null;
  k0: string;
};

export type RecommendationsOptions = { limit: number; type?: MediaType; cursor?: string };

export async function recommendationsFor(
  db: ReadDb,
  userId: string,
  options: RecommendationsOptions,
): Promise<Omit<Recommendations, 'position'>> {
  // The filter is part of the ordering's name: a cursor of `type=movie` pages nothing else (400).
  const order = `recommendations:${options.type ?? 'all'}`;
  const after = decodeCursor(options.cursor, order, RANK_ORDER);
  const afterRank = after ? Number(after[0]) : 0;
  const pageOf = (owner: FragmentSqlToken) => db.any<Row>(recommendationsQuery(db.read, owner, afterRank, options.limit + 1, options.type));
  let rows = await pageOf(sql.fragment`${userId}::text`);
  // Nothing of theirs on this page: they have no list (the cold-start list answers), or they have
  // one and this page is empty (asked again, it still is). Only then a second statement: asking
  // "do they have a list" in every request would unnest their list twice.
  if (rows.length === 0) rows = await pageOf(coldStartFor(db.read, userId));
  return page(rows, options.limit, order, RANK_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    score: row.score,
    // Rendered here rather than in SQL: the texts cost the database several times the page's read.
    reasons: row.reason_codes.map((code) => describeReason(code, (titleId) => row.reason_titles?.[titleId] ?? titleId)),
  }));
}
