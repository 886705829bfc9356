import { sql } from 'slonik';
import { describe, expect, it } from 'vitest';
import { afterKey, decodeCursor, encodeCursor, type SortKey } from './cursor.ts';

describe('keyset cursors', () => {
  const sort: SortKey[] = [
    { expr: sql.fragment`a`, dir: 'desc', type: 'float8' },
    { expr: sql.fragment`id`, dir: 'asc', type: 'text' },
  ];

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
