import { isStorableText, TEXT_FORMAT_MESSAGE } from '@reeltime/schemas';
import { describe, expect, it } from 'vitest';
import { chooseExact, chooseFuzzy } from './choose.ts';
import { csv, imdb, letterboxd, trakt, zip } from './fixtures.testing.ts';
import { readUpload } from './read-upload.ts';
import { ImportFileError } from './rows.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const read = (name: string, content: string | Uint8Array) =>
  readUpload({ name, bytes: typeof content === 'string' ? bytes(content) : content });

describe('reading exports', () => {
  it('reads a Letterboxd diary with half stars, rewatches and real dates, BOM and CRLF alike', () => {
    const file = letterboxd.diary([{ film: { name: 'Alien', year: 1979 }, watched: '2023-10-31', rating: 4.5, rewatch: true }], '\r\n');
    for (const content of [file, '\ufeff' + file]) {
      const { source, rows } = read('diary.csv', content);
      expect(source).toBe('letterboxd');
      expect(rows).toEqual([
        expect.objectContaining({
          file: 'diary.csv',
          line: 2,
          text: 'Alien (1979)',
          name: 'Alien',
          year: 1979,
          mediaType: 'movie',
          action: { kind: 'watch', watchedOn: '2023-10-31', rewatch: true, score: 9 },
        }),
      ]);
    }
  });

  it('keeps list order and notes, and a quoted note across lines', () => {
    const { rows } = read(
      'lists/noir.csv',
      letterboxd.list('Noir', 'Shadows', [
        { film: { name: 'Heat', year: 1995 }, note: 'line one\nline two' },
        { film: { name: 'Alien', year: 1979 } },
      ]),
    );
    expect(rows.map((r) => [r.line, r.action])).toEqual([
      [
        6,
        { kind: 'list', list: expect.objectContaining({ name: 'Noir', description: 'Shadows' }), position: 1, note: 'line one\nline two' },
      ],
      [8, { kind: 'list', list: expect.objectContaining({ name: 'Noir' }), position: 2 }],
    ]);
  });

  it("reads Reeltime's own Letterboxd export: tmdbID and imdbID columns, formula escapes undone", () => {
    const header = ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'tmdbID', 'imdbID'];
    const { source, rows } = read(
      'ratings.csv',
      csv(header, [
        ['2024-01-01', "'=HYPERLINK(1)", 2001, '', '2', 1001, ''],
        ['2024-01-01', "'Round Midnight", 1986, '', '4.5', 'x', 'tt0090967'],
        ['2024-01-01', 'Solaris', 1972, '', '5', 593, 'tt0069293'],
        ['2024-01-01', 'Solaris', 2002, '', '3', 2103, 'tt0307479'],
      ]),
    );
    expect(source).toBe('letterboxd');
    expect(rows.map((r) => [r.name, r.tmdbId, r.imdbId, r.key])).toEqual([
      ['=HYPERLINK(1)', 1001, undefined, 'rating|tmdb:1001'],
      ["'Round Midnight", undefined, 'tt0090967', "rating|'Round Midnight"],
      ['Solaris', 593, 'tt0069293', 'rating|tmdb:593'],
      ['Solaris', 2103, 'tt0307479', 'rating|tmdb:2103'],
    ]);
    const list = read(
      'lists/x.csv',
      'Letterboxd list export v7\n' +
        csv(['Date', 'Name', 'Tags', 'URL', 'Description'], [['2024-01-01', 'Mine', '', '', "'-1 to start"]]) +
        '\n' +
        csv(['Position', 'Name', 'Year', 'URL', 'Description', 'tmdbID', 'imdbID'], [[1, 'Heat', 1995, '', "'@the top", 949, 'tt0113277']]),
    );
    // Its watched.csv repeats diary.csv and ratings.csv: read, it would log a watch for a rating.
    expect(
      read('watched.csv', csv(['Date', 'Name', 'Year', 'Letterboxd URI', 'tmdbID', 'imdbID'], [['2024-01-01', 'Heat', 1995, '', 949, '']]))
        .rows,
    ).toEqual([]);
    expect(list.rows[0]).toMatchObject({
      tmdbId: 949,
      action: { kind: 'list', list: { name: 'Mine', description: '-1 to start' }, note: '@the top' },
    });
    // Its watchlist.csv carries each item's note in a Description column.
    const watchlist = read(
      'watchlist.csv',
      csv(
        ['Date', 'Name', 'Year', 'Letterboxd URI', 'tmdbID', 'imdbID', 'Description'],
        [
          ['2024-01-01', 'Heat', 1995, '', 949, '', "'-with friends,\nsoon"],
          ['2024-01-01', 'Alien', 1979, '', 348, '', ''],
          ['2024-01-01', 'Ran', 1985, '', 11645, '', 'x'.repeat(501)],
        ],
      ),
    );
    expect(watchlist.rows.map((r) => [r.tmdbId, r.action, r.problem])).toEqual([
      [949, { kind: 'watchlist', note: '-with friends,\nsoon' }, undefined],
      [348, { kind: 'watchlist' }, undefined],
      [11645, { kind: 'watchlist', note: 'x'.repeat(501) }, 'the note is longer than 500 characters'],
    ]);
  });

  it('reports bad cells as row problems, not file errors', () => {
    const { rows } = read(
      'ratings.csv',
      csv(['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating'], [['2024-01-01', 'Alien', 1979, 'x', '7']]),
    );
    expect(rows[0]!.problem).toBe('rating "7" is not 0.5 to 5 stars');
  });

  it('tells IMDb series from films and reports episodes', () => {
    const { source, rows } = read(
      'ratings.csv',
      imdb.ratings([
        { id: 'tt0903747', title: 'Breaking Bad', year: 2008, rating: 10, type: 'TV Series' },
        { id: 'tt0959621', title: 'Pilot', year: 2008, rating: 8, type: 'TV Episode' },
      ]),
    );
    expect(source).toBe('imdb');
    expect(rows[0]).toMatchObject({ imdbId: 'tt0903747', mediaType: 'tv', action: { kind: 'rating', score: 10 } });
    expect(rows[1]!.problem).toBe('episodes are not tracked, only films and series');
  });

  it('reads Trakt items by their fields and names lists from lists-lists.json', () => {
    const { source, rows } = read(
      'trakt.zip',
      zip({
        'lists-lists.json': trakt.lists([{ name: 'Heists', slug: 'heists', description: 'Crews' }]),
        'lists-heists.json': trakt.listItems([{ media: { title: 'Heat', year: 1995, tmdb: 949 }, notes: 'best' }]),
        'ratings-shows.json': trakt.ratings('show', [{ media: { title: 'Breaking Bad', year: 2008, tmdb: 1396 }, rating: 10 }]),
      }),
    );
    expect(source).toBe('trakt');
    expect(rows.map((r) => [r.tmdbId, r.mediaType, r.action.kind])).toEqual([
      [949, 'movie', 'list'],
      [1396, 'tv', 'rating'],
    ]);
    expect(rows[0]!.action).toMatchObject({ list: { name: 'Heists', description: 'Crews' }, note: 'best' });
  });

  it('skips deleted and orphaned entries of a Letterboxd zip', () => {
    const { rows } = read(
      'export.zip',
      zip({
        'diary.csv': letterboxd.diary([]),
        'deleted/diary.csv': letterboxd.diary([{ film: { name: 'Alien', year: 1979 }, watched: '2020-01-01' }]),
      }),
    );
    expect(rows).toEqual([]);
  });

  it.each([
    ['broken quoting', 'ratings.csv', 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,"Alien" x,1979,x,4\n', 2, /^broken quoting/],
    ['a missing column', 'diary.csv', 'Date,Name,Letterboxd URI,Rating,Watched Date\n', 1, /^missing columns? Year/],
  ])('names the line of %s', (_what, name, content, line, message) => {
    const error = (() => {
      try {
        read(name, content);
      } catch (thrown) {
        return thrown as ImportFileError;
      }
    })();
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ file: name, line });
    expect(error!.message).toMatch(message);
  });
});

/** The error `read` throws, or undefined. */
function refusal(name: string, content: string | Uint8Array): ImportFileError | undefined {
  try {
    read(name, content);
  } catch (thrown) {
    return thrown as ImportFileError;
  }
  return undefined;
}

// A NUL (valid UTF-8, and `\u0000` in JSON) or a lone surrogate (`\ud83d` in JSON) would pass
// into a review, a list or the import's report, and PostgreSQL would refuse the append in the
// background: the file is refused up front, naming where.
describe('text PostgreSQL cannot store, in an export', () => {
  it('a NUL in a CSV field: the file, its line and the column', () => {
    const error = refusal(
      'reviews.csv',
      letterboxd.reviews([
        { film: { name: 'Heat', year: 1995 }, rating: 4, review: 'fine' },
        { film: { name: 'Alien', year: 1979 }, rating: 4, review: 'in space\u0000no one' },
      ]),
    );
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ file: 'reviews.csv', line: 3, status: 400 });
    expect(error!.message).toBe(`column 7 ${TEXT_FORMAT_MESSAGE}`);
  });

  it.each([
    ['a NUL', 'before\u0000after'],
    ['a lone surrogate', 'half \uD83D of an emoji'],
  ])('%s in a JSON string: the file and the field', (_what, notes) => {
    const file = trakt.listItems([
      { media: { title: 'Heat', year: 1995, tmdb: 949 } },
      { media: { title: 'Alien', year: 1979, tmdb: 348 }, notes },
    ]);
    expect(file).toContain('\\u'); // escaped, as a real export writes it
    const error = refusal('lists-heists.json', file);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ file: 'lists-heists.json', line: 0 });
    expect(error!.message).toBe(`/1/notes ${TEXT_FORMAT_MESSAGE}`);
  });

  it('a long list name is cut to 100 characters without splitting one (an emoji is two UTF-16 units)', () => {
    const name = `${'x'.repeat(99)}😀 and more`;
    const { rows } = read('lists/long.csv', letterboxd.list(name, '😀'.repeat(1001), [{ film: { name: 'Heat', year: 1995 } }]));
    const list = (rows[0]!.action as { list: { name: string; description: string } }).list;
    expect(list.name).toBe(`${'x'.repeat(99)}😀`);
    expect([...list.description]).toHaveLength(1000);
    expect(isStorableText(list.name) && isStorableText(list.description)).toBe(true);
  });
});

describe('choosing a title by name', () => {
  const c = (titleId: string, title: string, year: number, score: number) => ({ titleId, title, year, score });
  it('takes the one exact match of the year, and calls two of them ambiguous', () => {
    expect(chooseExact([c('movie:1', 'Heat', 1995, 1), c('movie:2', 'Heat', 1986, 1)], 1995)).toEqual({ titleId: 'movie:1' });
    expect(chooseExact([c('movie:1', 'Twins', 1988, 1), c('movie:2', 'Twins', 1988, 1)], 1988)).toEqual({
      reason: 'ambiguous: Twins (1988), Twins (1988) all match',
    });
    expect(chooseExact([c('movie:1', 'Heat', 1995, 1)], 1996)).toBeUndefined();
  });
  it('takes a clear best near match above the threshold, and reports the rest', () => {
    expect(chooseFuzzy([c('movie:603', 'The Matrix', 1999, 0.72), c('movie:604', 'The Matrix Reloaded', 2003, 0.5)], 1999)).toEqual({
      titleId: 'movie:603',
    });
    expect(chooseFuzzy([c('movie:1', 'Solaris', 1972, 0.7), c('movie:2', 'Solaris', 1972, 0.7)], 1972)).toEqual({
      reason: 'ambiguous: could be Solaris (1972) or Solaris (1972)',
    });
    expect(chooseFuzzy([c('movie:1', 'Alien', 1979, 0.4)], 1979)).toEqual({ reason: 'no title with this name and year in the catalog' });
  });
});
