import { sql } from 'slonik';
import { describe, expect, it } from 'vitest';
import { afterKey, andAfterKey, decodeCursor, encodeCursor, ordering, type SortKey } from './cursor.ts';

const sort: SortKey[] = [
  { expr: sql.fragment`a`, dir: 'desc', type: 'float8' },
  { expr: sql.fragment`id`, dir: 'asc', type: 'text' },
];

describe('keyset cursors', () => {
  it('round-trips the keys of the ordering they were made for', () => {
    const cursor = encodeCursor('popular', ['-Infinity', 'movie:1']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'popular', sort)).toEqual(['-Infinity', 'movie:1']);
  });

  it('refuses cursors of another ordering, the wrong shape, or not base64 JSON, as 400', () => {
    for (const cursor of [
      encodeCursor('newest', ['x', 'y']),
      encodeCursor('popular', ['x']),
      Buffer.from('[1,2,3]').toString('base64url'),
      'bm90IGpzb24',
      encodeCursor('popular', ['1; DROP', 'x']),
    ]) {
      expect(() => decodeCursor(cursor, 'popular', sort)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_cursor' }));
    }
  });

  it('spells "after" for mixed directions as a disjunction of prefixes, with bound values', () => {
    const after = afterKey(sort, ['1.5', 'movie:9']);
    expect(after.sql).toBe('((a < $slonik_1::float8) OR (a = $slonik_2::float8 AND id > $slonik_3::text))');
    expect(after.values).toEqual(['1.5', '1.5', 'movie:9']);
  });
});

describe('orderings', () => {
  it('spell ORDER BY and the text key columns k0, k1, … once, values bound wherever the ordering is used', () => {
    const byRank = ordering([
      { expr: sql.fragment`rank(${'q'})`, dir: 'desc', type: 'real' },
      { expr: sql.fragment`id`, dir: 'asc', type: 'text' },
    ]);
    const query = sql.unsafe`SELECT ${byRank.keyColumns} FROM t WHERE id > ${'a'} ORDER BY ${byRank.orderBy}`;
    expect(query.sql).toBe(
      'SELECT (rank($slonik_1))::text AS "k0", (id)::text AS "k1" FROM t WHERE id > $slonik_2 ORDER BY rank($slonik_3) DESC, id ASC',
    );
    expect(query.values).toEqual(['q', 'a', 'q']);
  });

  it('leave the "after" condition out on a first page', () => {
    expect(andAfterKey(sort, undefined).sql).toBe('');
    expect(andAfterKey(sort, ['1.5', 'movie:9']).sql).toBe(
      'AND ((a < $slonik_1::float8) OR (a = $slonik_2::float8 AND id > $slonik_3::text))',
    );
  });
});
