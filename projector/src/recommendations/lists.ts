import type { Ranked } from './engine/engine.ts';
import { GENRES_JOINED_BY, GENRES_PER_REASON, REASON_TEXTS } from '@reeltime/schemas';
import { GENRE_NAME_LIST, MAX_REASONS } from './engine/reasons.ts';

/**
 * How a user's list is stored, and how the read view gives it back in the API's shape.
 *
 * Stored: one jsonb array per user of `[titleId, score, [reason codes], {titleId: name}?]` (see
 * ReasonCode), about a third of the bytes of `{titleId, mediaType, score, reasons: [{kind, text,
 * titleId}]}`: a rebuild writes 100,000 of them. The names are those of the titles the item's
 * reasons mention ("Because you rated Alien 9/10"), as the catalog named them when the list was
 * written (the working set re-scores whoever a rename concerns); left out when none is named.
 * Read: ITEMS_VIEW, one row per item, fills in the media type (the title id's prefix) and each
 * reason's text from REASON_TEXTS, with genre names from TMDB_GENRES.
 */
export type StoredItem =
  | readonly [titleId: string, score: number, reasons: Ranked['reasons']]
  | readonly [titleId: string, score: number, reasons: Ranked['reasons'], names: Record<string, string>];

/** The reason codes whose second element is a title of the user's history. */
const TITLE_REASONS = new Set<unknown>(['r', 'w', 'l']);

/** `item` as stored, with the names (`nameOf`; undefined: none yet, its id shows) of the titles its reasons mention. */
export function storedItem(item: Ranked, nameOf: (titleId: string) => string | undefined): StoredItem {
  let names: Record<string, string> | undefined;
  for (const code of item.reasons) {
    if (!Array.isArray(code) || !TITLE_REASONS.has(code[0])) continue;
    const titleId = code[1] as string;
    const name = nameOf(titleId);
    if (name !== undefined) (names ??= {})[titleId] = name;
  }
  return names === undefined ? [item.titleId, item.score, item.reasons] : [item.titleId, item.score, item.reasons, names];
}

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
 * answers it, a title named from `names` (the item's stored names, jsonb) or else by its id. No
 * set-returning function: the planner's estimates stay small, so a list never crosses
 * `jit_above_cost` (a JIT compile costs 200 ms).
 */
export function reasonSql(x: string, names: string): string {
  const title = `coalesce(${names}->>(${x}->>1), ${x}->>1)`;
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
 * MAX_REASONS), titles named from the item's stored names. Each reason is taken out of the item
 * once, not at each of the many mentions of it in reasonSql.
 */
const reasonsSql = (item: string) => `(SELECT json_agg(${reasonSql('v.x', `${item}->3`)} ORDER BY v.k)
    FROM (VALUES ${Array.from({ length: MAX_REASONS }, (_, k) => `(${k}, ${item}->2->${k})`).join(', ')}) AS v(k, x)
   WHERE v.x IS NOT NULL)`;

/**
 * One row per list item: `user_id`, `rank` (from 1), `title_id`, `media_type`, `score`, and its
 * reasons twice: `reasons`, the API's objects rendered in SQL (for reading by hand and in tests),
 * and `reason_codes` with `reason_titles` (the names stored with the item), what the query API
 * renders with `describeReason`. A page is `WHERE user_id = $1 AND rank > $2 [AND media_type =
 * $3] ORDER BY rank LIMIT n`, and every column it selects is a look-up in the item's binary form:
 * no work per item (looking the names up in a table of title names was 14 % of a page's
 * database time and a third of its index probes; building them out of one map per list cost
 * about as much). `reasons` is the one costly column (a subquery per item); PostgreSQL evaluates
 * such a column after the sort and limit (planner.c, make_sort_input_target), and only when
 * selected.
 */
export const ITEMS_VIEW = `SELECT r.user_id, e.rank::integer AS rank, e.item->>0 AS title_id, split_part(e.item->>0, ':', 1) AS media_type,
         (e.item->>1)::double precision AS score, ${reasonsSql('e.item')} AS reasons,
         e.item->2 AS reason_codes, e.item->3 AS reason_titles
    FROM {schema}.recommendations r
   CROSS JOIN LATERAL jsonb_array_elements(r.items) WITH ORDINALITY AS e(item, rank)`;
