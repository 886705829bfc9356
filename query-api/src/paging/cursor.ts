import { HttpProblem } from '@reeltime/platform';
import { sql, type FragmentSqlToken } from 'slonik';
import { NOTHING } from '../db.ts';

/**
 * Keyset pagination: a cursor is the sort key of the last row sent, with the name of the
 * ordering it belongs to, as base64url JSON. Keys travel as the text Postgres printed
 * (exact for floats, numerics and microsecond timestamps) and are cast back in SQL.
 */
export type SortKey = {
  expr: FragmentSqlToken;
  dir: 'asc' | 'desc';
  type: 'text' | 'float8' | 'real' | 'numeric' | 'int' | 'date' | 'timestamptz';
};

export function encodeCursor(order: string, keys: readonly string[]): string {
  return Buffer.from(JSON.stringify([order, ...keys])).toString('base64url');
}

function invalid(): HttpProblem {
  return new HttpProblem(400, 'invalid_cursor', 'The cursor is not one this endpoint issued for these filters and sort.', {
    errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor for this request' }],
  });
}

/** What Postgres prints for each key type; anything else would fail the cast in SQL. */
const KEY_SHAPES: Record<SortKey['type'], RegExp> = {
  text: /^[\s\S]{0,200}$/,
  float8: /^(-?Infinity|NaN|-?\d+(\.\d+)?(e[+-]?\d+)?)$/,
  real: /^(-?Infinity|NaN|-?\d+(\.\d+)?(e[+-]?\d+)?)$/,
  numeric: /^-?\d{1,20}(\.\d{1,20})?$/,
  int: /^-?\d{1,9}$/,
  date: /^(-?infinity|\d{4}-\d{2}-\d{2})$/,
  timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
};

export function decodeCursor(cursor: string | undefined, order: string, sort: readonly SortKey[]): string[] | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== sort.length + 1 || parsed[0] !== order) throw invalid();
  const keys = parsed.slice(1);
  if (!keys.every((key, i): key is string => typeof key === 'string' && KEY_SHAPES[sort[i]!.type].test(key))) throw invalid();
  return keys;
}

const CASTS: Record<SortKey['type'], FragmentSqlToken> = {
  text: sql.fragment`text`,
  float8: sql.fragment`float8`,
  real: sql.fragment`real`,
  numeric: sql.fragment`numeric`,
  int: sql.fragment`integer`,
  date: sql.fragment`date`,
  timestamptz: sql.fragment`timestamptz`,
};

/**
 * `WHERE` condition "after this key" for a mixed-direction ORDER BY (row comparison only
 * works when every column sorts the same way), the keys bound as values.
 */
export function afterKey(sort: readonly SortKey[], keys: readonly string[]): FragmentSqlToken {
  const key = (i: number) => sql.fragment`${keys[i]!}::${CASTS[sort[i]!.type]}`;
  const alternatives = sort.map((last, i) => {
    const equal = sort.slice(0, i).map((prior, j) => sql.fragment`${prior.expr} = ${key(j)}`);
    const beyond = last.dir === 'desc' ? sql.fragment`${last.expr} < ${key(i)}` : sql.fragment`${last.expr} > ${key(i)}`;
    return sql.fragment`(${sql.join([...equal, beyond], sql.fragment` AND `)})`;
  });
  return sql.fragment`(${sql.join(alternatives, sql.fragment` OR `)})`;
}

/** `AND <after this key>`, or nothing on a first page. */
export function andAfterKey(sort: readonly SortKey[], keys: readonly string[] | undefined): FragmentSqlToken {
  return keys ? sql.fragment`AND ${afterKey(sort, keys)}` : NOTHING;
}

/**
 * A sort order with its SQL: `orderBy` for `ORDER BY`, and `keyColumns`, the sort key selected
 * as text `k0, k1, …` to build the next cursor from the last row.
 *
 * Build an ordering once, as a module constant, where its keys are constant: composed on every
 * request, these were most of what slonik's tags cost GET /me/lists (~12 KB of ~17 KB, and tens
 * of µs). Both are fragments, which slonik renders when they are made; a
 * `sql.join` list would be rendered again, member by member, in every query that holds it.
 */
export type Ordering = { readonly keys: readonly SortKey[]; readonly orderBy: FragmentSqlToken; readonly keyColumns: FragmentSqlToken };

export function ordering(keys: readonly SortKey[]): Ordering {
  const directions = keys.map((key) => (key.dir === 'desc' ? sql.fragment`${key.expr} DESC` : sql.fragment`${key.expr} ASC`));
  const columns = keys.map((key, i) => sql.fragment`(${key.expr})::text AS ${sql.identifier([`k${i}`])}`);
  return {
    keys,
    orderBy: sql.fragment`${sql.join(directions, sql.fragment`, `)}`,
    keyColumns: sql.fragment`${sql.join(columns, sql.fragment`, `)}`,
  };
}

/** `limit + 1` rows were fetched: the extra one only says whether there is a next page. */
export function page<Row extends Record<string, unknown>, Item>(
  rows: readonly Row[],
  limit: number,
  order: string,
  keyCount: number,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor(
          order,
          Array.from({ length: keyCount }, (_, i) => String(last[`k${i}`])),
        )
      : null;
  return { items: shown.map(toItem), nextCursor };
}
