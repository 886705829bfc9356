import type { Ranked } from './engine/engine.ts';
import { GENRE_NAME_LIST, GENRES_JOINED_BY, REASON_TEXTS } from './engine/reasons.ts';

/**
 * How a user's list is stored, and how the read views give it back in the API's shape.
 *
 * Stored: one JSON array per user of `[titleId, score, [reason codes]]` (see ReasonCode), about
 * a third of the bytes of `{titleId, mediaType, score, reasons: [{kind, text, titleId}]}`: a
 * rebuild writes 100,000 of them. Read: `read.recommendation_lists` and `read.recommendations`
 * fill in the media type (the title id's prefix) and each reason's text from REASON_TEXTS,
 * with title names from `title_names` and genre names from TMDB_GENRES.
 */
export type StoredItem = readonly [titleId: string, score: number, reasons: Ranked['reasons']];

export const storedItem = (item: Ranked): StoredItem => [item.titleId, item.score, item.reasons];

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A REASON_TEXTS template as a SQL string expression, `{name}` replaced by `values[name]` (SQL text expressions). */
function templateSql(template: string, values: Record<string, string>): string {
  const parts = template.split(/\{(\w+)\}/);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return part === '' ? undefined : literal(part);
      const value = values[part];
      if (value === undefined) throw new Error(`no SQL for {${part}} in "${template}"`);
      return value;
    })
    .filter((part) => part !== undefined)
    .join(' || ');
}

const GENRES = `(VALUES ${GENRE_NAME_LIST.map(([id, name]) => `(${id}, ${literal(name)})`).join(', ')}) AS g(genre_id, name)`;

/** The API's reason object for the stored reason `x` (json), as describeReason answers it. */
export function reasonSql(x: string): string {
  const title = `coalesce((SELECT n.name FROM {schema}.title_names n WHERE n.title_id = ${x}->>1), ${x}->>1)`;
  const genres = `(SELECT string_agg(g.name, ${literal(GENRES_JOINED_BY)} ORDER BY e.k)
                     FROM json_array_elements_text(${x}) WITH ORDINALITY AS e(id, k) JOIN ${GENRES} ON g.genre_id::text = e.id
                    WHERE e.k > 2)`;
  const similar = (text: string) => `json_build_object('kind', 'similar', 'text', ${text}, 'titleId', ${x}->>1)`;
  return `CASE json_typeof(${x})
    WHEN 'object' THEN ${x}
    WHEN 'string' THEN CASE ${x}#>>'{}' WHEN 't' THEN json_build_object('kind', 'trending', 'text', ${literal(REASON_TEXTS.t)})
                                       ELSE json_build_object('kind', 'popular', 'text', ${literal(REASON_TEXTS.p)}) END
    ELSE CASE ${x}->>0
      WHEN 'r' THEN ${similar(templateSql(REASON_TEXTS.r, { title, score: `(${x}->>2)` }))}
      WHEN 'w' THEN ${similar(templateSql(REASON_TEXTS.w, { title }))}
      WHEN 'l' THEN ${similar(templateSql(REASON_TEXTS.l, { title }))}
      ELSE json_build_object('kind', 'genre', 'text',
             CASE ${x}->>1 WHEN '1' THEN ${templateSql(REASON_TEXTS.g1, { genres })} ELSE ${templateSql(REASON_TEXTS.g0, { genres })} END)
    END
  END`;
}

/** The stored item `item` (json): its reasons as the API's objects, in order. */
const reasonsSql = (item: string) => `(SELECT json_agg(${reasonSql('x.reason')} ORDER BY x.k)
    FROM json_array_elements(${item}->2) WITH ORDINALITY AS x(reason, k))`;

/** `read.recommendation_lists`: each user's list in the API's item shape `{titleId, mediaType, score, reasons}`. */
export const LISTS_VIEW = `SELECT r.user_id,
    (SELECT json_agg(json_build_object('titleId', e.item->>0, 'mediaType', split_part(e.item->>0, ':', 1), 'score', e.item->1,
                                       'reasons', ${reasonsSql('e.item')}) ORDER BY e.rank)
       FROM json_array_elements(r.items) WITH ORDINALITY AS e(item, rank)) AS items
  FROM {schema}.recommendations r`;

/** `read.recommendations`: ranked rows, for reading by hand and in tests (a lookup by user_id reads one row). */
export const RANKED_VIEW = `SELECT r.user_id, e.rank::integer AS rank, e.item->>0 AS title_id, split_part(e.item->>0, ':', 1) AS media_type,
         (e.item->>1)::double precision AS score, ${reasonsSql('e.item')} AS reasons
    FROM {schema}.recommendations r
   CROSS JOIN LATERAL json_array_elements(r.items) WITH ORDINALITY AS e(item, rank)`;
