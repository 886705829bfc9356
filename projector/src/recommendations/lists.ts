import type { Ranked } from './engine/engine.ts';
import { GENRES_JOINED_BY, GENRES_PER_REASON, REASON_TEXTS } from '@reeltime/schemas';
import { GENRE_NAME_LIST, MAX_REASONS } from './engine/reasons.ts';

/**
 * How a user's list is stored, and how the read view gives it back in the API's shape.
 *
 * Stored: one jsonb array per user of `[titleId, score, [reason codes]]` (see ReasonCode), about
 * a third of the bytes of `{titleId, mediaType, score, reasons: [{kind, text, titleId}]}`: a
 * rebuild writes 100,000 of them. Read: ITEMS_VIEW, one row per item, fills in the media type
 * (the title id's prefix) and each reason's text from REASON_TEXTS, with title names from
 * `title_names` and genre names from TMDB_GENRES.
 */
export type StoredItem = readonly [titleId: string, score: number, reasons: Ranked['reasons']];

export const storedItem = (item: Ranked): StoredItem => [item.titleId, item.score, item.reasons];

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A REASON_TEXTS template cut at its `{cut}` placeholder, each side as a SQL string
 * expression with the other placeholders replaced by `values[name]` (SQL text expressions).
 */
function templateSql(template: string, cut: string, values: Record<string, string>): [before: string, after: string] {
  const [before = '', after = ''] = template.split(`{${cut}}`);
  const side = (text: string) =>
    text
      .split(/\{(\w+)\}/)
      .map((part, i) => {
        if (i % 2 === 0) return literal(part);
        const value = values[part];
        if (value === undefined) throw new Error(`no SQL for {${part}} in "${template}"`);
        return value;
      })
      .join(' || ');
  return [side(before), side(after)];
}

/**
 * The genre name of the genre id `id` (SQL text; an unknown id gives NULL), looked up in one
 * jsonb constant (parsed when the view is made). Not a CASE of 27 branches: the query API's
 * statements are planned on every request, and two such CASEs were 40 % of a page's planning time.
 */
const GENRE_NAMES_JSONB = `${literal(JSON.stringify(Object.fromEntries(GENRE_NAME_LIST)))}::jsonb`;
const genreNameSql = (id: string) => `(${GENRE_NAMES_JSONB} ->> (${id}))`;

/**
 * The API's reason object (json) for the stored reason `x` (jsonb; NULL for NULL), as describeReason
 * answers it. No set-returning function and one title lookup: the planner's estimates stay
 * small, so a list never crosses `jit_above_cost` (a JIT compile costs 200 ms).
 */
export function reasonSql(x: string): string {
  const title = `coalesce((SELECT n.name FROM {schema}.title_names n WHERE n.title_id = ${x}->>1), ${x}->>1)`;
  const genres = Array.from({ length: GENRES_PER_REASON }, (_, i) =>
    i === 0 ? genreNameSql(`${x}->>2`) : `coalesce(${literal(GENRES_JOINED_BY)} || ${genreNameSql(`${x}->>${i + 2}`)}, '')`,
  ).join(' || ');
  const similar = (['r', 'w', 'l'] as const).map((how) => [how, templateSql(REASON_TEXTS[how], 'title', { score: `(${x}->>2)` })] as const);
  const [likeBefore, likeAfter] = templateSql(REASON_TEXTS.g1, 'genres', {});
  const [watchBefore, watchAfter] = templateSql(REASON_TEXTS.g0, 'genres', {});
  return `CASE WHEN ${x} IS NULL THEN NULL
    WHEN jsonb_typeof(${x}) = 'object' THEN ${x}::json
    WHEN jsonb_typeof(${x}) = 'string' THEN
      CASE ${x}#>>'{}' WHEN 't' THEN json_build_object('kind', 'trending', 'text', ${literal(REASON_TEXTS.t)})
                       ELSE json_build_object('kind', 'popular', 'text', ${literal(REASON_TEXTS.p)}) END
    WHEN ${x}->>0 = 'g' THEN json_build_object('kind', 'genre', 'text',
      CASE ${x}->>1 WHEN '1' THEN ${likeBefore} ELSE ${watchBefore} END || ${genres} || CASE ${x}->>1 WHEN '1' THEN ${likeAfter} ELSE ${watchAfter} END)
    ELSE json_build_object('kind', 'similar', 'text',
      CASE ${x}->>0 ${similar.map(([how, [before]]) => `WHEN '${how}' THEN ${before}`).join(' ')} END || ${title} ||
      CASE ${x}->>0 ${similar.map(([how, [, after]]) => `WHEN '${how}' THEN ${after}`).join(' ')} END,
      'titleId', ${x}->>1)
  END`;
}

/**
 * The stored item `item` (jsonb): its reasons as the API's objects, in order (at most
 * MAX_REASONS). Each reason is taken out of the item once, not at each of the many mentions of
 * it in reasonSql.
 */
const reasonsSql = (item: string) => `(SELECT json_agg(${reasonSql('v.x')} ORDER BY v.k)
    FROM (VALUES ${Array.from({ length: MAX_REASONS }, (_, k) => `(${k}, ${item}->2->${k})`).join(', ')}) AS v(k, x)
   WHERE v.x IS NOT NULL)`;

/**
 * The names of the titles the stored item `item`'s reasons mention, `{titleId: name}` (NULL when
 * none): what `describeReason` needs besides the codes.
 */
const reasonTitlesSql = (item: string) => `(SELECT json_object_agg(n.title_id, n.name)
    FROM jsonb_array_elements(${item}->2) AS c(x) JOIN {schema}.title_names n ON n.title_id = c.x->>1
   WHERE c.x->>0 IN ('r', 'w', 'l'))`;

/**
 * One row per list item: `user_id`, `rank` (from 1), `title_id`, `media_type`, `score`, and its
 * reasons twice: `reasons`, the API's objects rendered in SQL (for reading by hand and in tests),
 * and `reason_codes` with `reason_titles`, what the query API renders with `describeReason` (a
 * fraction of the database's work per page). A page is `WHERE user_id = $1 AND rank > $2 [AND
 * media_type = $3] ORDER BY rank LIMIT n`: the reason columns are the only costly ones (a
 * subquery per item), and PostgreSQL evaluates such a column after the sort and limit
 * (planner.c, make_sort_input_target), and only when selected, so a request works on its page's
 * reasons, not the ~70 of the whole list (recommendations.query.api.test.ts holds the query API
 * to that). The cheap columns are evaluated for every item before the sort: out of jsonb each is
 * a look-up in the item's binary form (out of json, a parse of the item's text each, they were a
 * third of a first page's database CPU).
 */
export const ITEMS_VIEW = `SELECT r.user_id, e.rank::integer AS rank, e.item->>0 AS title_id, split_part(e.item->>0, ':', 1) AS media_type,
         (e.item->>1)::double precision AS score, ${reasonsSql('e.item')} AS reasons,
         e.item->2 AS reason_codes, ${reasonTitlesSql('e.item')} AS reason_titles
    FROM {schema}.recommendations r
   CROSS JOIN LATERAL jsonb_array_elements(r.items) WITH ORDINALITY AS e(item, rank)`;
