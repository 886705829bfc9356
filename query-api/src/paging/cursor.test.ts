import { describe, expect, it } from 'vitest';
import { afterKey, decodeCursor, encodeCursor, type SortKey } from './cursor.ts';

describe('keyset cursors', () => {
  const sort: SortKey[] = [
    { expr: 'a', dir: 'desc', type: 'float8' },
    { expr: 'id', dir: 'asc', type: 'text' },
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
    const values: unknown[] = ['q'];
    expect(afterKey(sort, ['1.5', 'movie:9'], values)).toBe('((a < $2::float8) OR (a = $2::float8 AND id > $3::text))');
    expect(values).toEqual(['q', '1.5', 'movie:9']);
  });
});
