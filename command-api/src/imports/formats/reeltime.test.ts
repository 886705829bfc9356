import { describe, expect, it } from 'vitest';
import { reeltimeExport } from '../fixtures.testing.ts';
import { importedListId, planImport } from '../plan.ts';
import { readUpload } from '../read-upload.ts';
import { ImportFileError } from '../rows.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const OWNER = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const LIST = '00000000-0000-4000-8000-0000000000c1';
const WATCHLIST = '00000000-0000-4000-8000-0000000000c2';
const entry = (n: number) => `00000000-0000-4000-8000-0000000000e${n}`;

const document = reeltimeExport({
  userId: OWNER,
  preferences: { genres: [18], dislikedGenres: [27], people: [2], languages: ['fr'], mediaTypes: ['tv'] },
  lists: [
    { listId: WATCHLIST, kind: 'watchlist', items: [{ title: { id: 'tv:1399', title: 'Game of Thrones' }, note: 'winter' }] },
    {
      listId: LIST,
      name: 'Best',
      description: 'ever',
      visibility: 'public',
      items: [{ title: { id: 'movie:949' } }, { title: { id: 'tv:1399' }, note: 'dragons' }],
    },
  ],
  ratings: [{ title: { id: 'tv:1399', title: 'Game of Thrones', year: 2011 }, score: 8, review: 'Red wedding!', spoilers: true }],
  diary: [
    { title: { id: 'movie:949' }, entryId: entry(1), watchedOn: '2024-06-01', rewatch: true },
    { title: { id: 'movie:949' }, entryId: entry(2), watchedOn: '2024-06-01', rewatch: true },
    { title: { id: 'movie:949' }, entryId: entry(3), watchedOn: '2024-01-01' },
  ],
});

describe("reading Reeltime's own JSON export", () => {
  it('is recognised by its format, and its titles are asked for by our ids, never by name', () => {
    const { source, rows } = readUpload({ name: 'reeltime-export.json', bytes: bytes(document) });
    expect(source).toBe('reeltime');
    expect(rows.map((r) => [r.action.kind, r.mediaType, r.tmdbId])).toEqual([
      ['preferences', undefined, undefined],
      ['watchlist', 'tv', 1399],
      ['listHead', undefined, undefined],
      ['list', 'movie', 949],
      ['list', 'tv', 1399],
      ['rating', 'tv', 1399],
      ['watch', 'movie', 949],
      ['watch', 'movie', 949],
      ['watch', 'movie', 949],
    ]);
    expect(rows.every((r) => r.name === undefined && r.year === undefined)).toBe(true);
    expect(rows[5]).toMatchObject({ text: 'Game of Thrones (2011)', line: 0 });
    // `source=reeltime` given with it is fine too.
    expect(readUpload({ name: 'x.json', bytes: bytes(document) }, undefined, 'reeltime').source).toBe('reeltime');
  });

  it('plans reviews with their spoiler flag, rewatches, same-day repeats, list visibility and order, and preferences', () => {
    const { rows } = readUpload({ name: 'reeltime-export.json', bytes: bytes(document) });
    const matches = rows.map((row) =>
      row.tmdbId === undefined ? { reason: 'names no title' } : { titleId: `${row.mediaType}:${row.tmdbId}` },
    );
    const plan = planImport(rows, matches, { userId: OTHER, source: 'reeltime', today: '2025-01-01' });
    expect(plan.unmatched.every((reason) => reason === undefined)).toBe(true);
    expect(plan.ratings).toEqual([{ titleId: 'tv:1399', score: 8, review: 'Red wedding!', containsSpoilers: true, rows: [5] }]);
    expect(plan.watches.map(({ watch }) => [watch.watchedOn, watch.rewatch, watch.ofTheDay])).toEqual([
      ['2024-06-01', true, 2],
      ['2024-06-01', true, 2],
      ['2024-01-01', false, undefined],
    ]);
    expect(plan.watchlist).toEqual([{ titleId: 'tv:1399', note: 'winter', row: 1 }]);
    expect(plan.lists).toEqual([
      {
        listId: importedListId(OTHER, 'reeltime', `reeltime-list|${LIST}`),
        list: expect.objectContaining({ name: 'Best', description: 'ever', visibility: 'public' }),
        items: [
          { titleId: 'movie:949', row: 3 },
          { titleId: 'tv:1399', note: 'dragons', row: 4 },
        ],
        row: 2,
      },
    ]);
    expect(plan.preferences).toEqual({
      row: 0,
      preferences: { genres: { liked: [18], disliked: [27] }, people: { liked: [2] }, languages: ['fr'], mediaTypes: ['tv'] },
    });
    // Back into the account it came from, the list is the same list.
    expect(planImport(rows, matches, { userId: OWNER, source: 'reeltime', today: '2025-01-01' }).lists[0]!.listId).toBe(LIST);
  });

  it('refuses a document that says it is our export but is not, naming where', () => {
    const broken = JSON.parse(document) as { ratings: { score: number }[] };
    broken.ratings[0]!.score = 11;
    const read = () => readUpload({ name: 'reeltime-export.json', bytes: bytes(JSON.stringify(broken)) });
    expect(read).toThrow(ImportFileError);
    expect(read).toThrow(/is not a Reeltime export: it does not match the export's schema \(\/ratings\/0\/score/);
  });
});
