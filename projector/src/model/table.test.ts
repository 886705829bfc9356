import { describe, expect, it } from 'vitest';
import { Table } from './table.ts';

type Row = { id: string; owner: string; n: number };
const table = (complete = false) =>
  new Table<Row>(
    'rows',
    (row) => row.id,
    (row) => row.owner,
    complete,
  );

describe('Table', () => {
  it('refuses a key the loader did not fetch, unless the table is complete (a fresh build)', () => {
    expect(() => table().get('a')).toThrow(/was not loaded/);
    expect(table(true).get('a')).toBeUndefined();
  });

  it('walks a group once per row, after deletes, re-inserts and moves between groups', () => {
    const rows = table(true);
    rows.put({ id: 'a', owner: 'ada', n: 1 });
    rows.put({ id: 'b', owner: 'ada', n: 1 });
    rows.put({ id: 'a', owner: 'ada', n: 2 });
    rows.delete('a');
    rows.put({ id: 'a', owner: 'ada', n: 3 });
    rows.put({ id: 'b', owner: 'bob', n: 2 });
    expect(rows.inGroup('ada')).toEqual([{ id: 'a', owner: 'ada', n: 3 }]);
    expect(rows.inGroup('bob')).toEqual([{ id: 'b', owner: 'bob', n: 2 }]);
  });

  it('reports only what changed against what was loaded', () => {
    const rows = table();
    rows.seedRows([{ id: 'a', owner: 'ada', n: 1 }]);
    rows.seedMissing(['b', 'c']);
    rows.put({ id: 'b', owner: 'bob', n: 1 });
    rows.delete('a');
    expect(rows.changes()).toEqual({ upserts: [{ id: 'b', owner: 'bob', n: 1 }], deletes: [{ id: 'a', owner: 'ada', n: 1 }] });
  });
});
