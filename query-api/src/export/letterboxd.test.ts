import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csv, diaryCells, halfStars, listFileName, listHeader, nothingLeftOut, readme } from './letterboxd.ts';
import type { DiaryRow, ListItemRow } from './rows.ts';

describe('Letterboxd csv', () => {
  it('turns scores 1..10 into half stars 0.5..5, and no score into an empty cell', () => {
    expect([1, 2, 5, 9, 10].map(halfStars)).toEqual(['0.5', '1', '2.5', '4.5', '5']);
    expect(halfStars(null)).toBe('');
  });

  it('escapes every cell a spreadsheet would run as a formula, and quotes what needs quoting', () => {
    // given cells beginning with each formula trigger, and ones that only need quoting
    const cells = ['=1+1', '+SUM(A1)', '-2', '@cmd', '\tTab', '\rCR', 'plain', 'a, "quoted"\nline', 4.5];
    // when written and read back
    const [row] = parse(csv([cells])) as string[][];
    // then triggers carry a leading apostrophe and the rest survive unchanged
    expect(row).toEqual(["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tTab", "'\rCR", 'plain', 'a, "quoted"\nline', '4.5']);
  });

  it('writes a diary row with the watch date, rewatch flag and current rating', () => {
    const row: DiaryRow = {
      title_id: 'movie:949',
      media_type: 'movie',
      tmdb_id: 949,
      imdb_id: 'tt0113277',
      title: 'Heat',
      year: 1995,
      entry_id: 'e',
      watched_on: '2024-06-01',
      rewatch: true,
      logged_at: '2024-06-02T10:00:00.000000+00:00',
      rating: 9,
    };
    expect(diaryCells(row)).toEqual(['2024-06-02', 'Heat', 1995, '', '4.5', 'Yes', '', '2024-06-01', 949, 'tt0113277']);
  });

  it("starts a list file with Letterboxd's header block", () => {
    const row = { name: 'Best, ever', description: '', created_at: '2024-01-02T03:04:05+00:00' } as ListItemRow;
    expect(listHeader(row)).toBe(
      'Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2024-01-02,"Best, ever",,,\n\nPosition,Name,Year,URL,Description,tmdbID,imdbID\n',
    );
  });

  it('names list files so that no name escapes lists/, and no two collide', () => {
    const taken = new Set<string>();
    expect(listFileName('../../etc/passwd', taken)).toBe('lists/etc-passwd.csv');
    expect(listFileName('My Favourites!', taken)).toBe('lists/my-favourites.csv');
    expect(listFileName('my favourites', taken)).toBe('lists/my-favourites-2.csv');
    expect(listFileName("Ça, c'est 日本映画", taken)).toBe('lists/ça-c-est-日本映画.csv');
    expect(listFileName('///', taken)).toBe('lists/list.csv');
    expect(listFileName('', taken)).toBe('lists/list-2.csv');
    expect(listFileName('x'.repeat(200), taken)).toBe(`lists/${'x'.repeat(80)}.csv`);
  });

  it('says in the README what was left out', () => {
    const left = { ...nothingLeftOut(), ratings: 3, listItems: 2, spoilerFlags: 1 };
    const text = readme(left, '2024-01-01T00:00:00.000Z');
    expect(text).toContain('- 3 TV ratings (ratings.csv)');
    expect(text).toContain('- 2 TV titles on your lists (lists/*.csv)');
    expect(text).not.toContain('diary entries (diary.csv)');
    expect(readme(nothingLeftOut(), '2024-01-01T00:00:00.000Z')).toContain('- nothing: you have no TV titles');
  });
});
