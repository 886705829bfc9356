import { clipText, MAX_LIST_ITEMS, type MediaType } from '@reeltime/schemas';
import { headerOf, table, type CsvRecord } from '../csv.ts';
import { describeTitle, ImportFileError, type ImportRow, type RowAction } from '../rows.ts';
import { baseName, imdbId, length, tenPointScore, year } from './fields.ts';

// IMDb's exports: ratings.csv (Const, Your Rating, Date Rated, Title, ..., Title Type, Year) and
// list or watchlist csv files (Position, Const, Created, Modified, Description, Title, ...).

export const isImdb = (records: CsvRecord[]) => headerOf(records).has('Const');

/** IMDb's title types: series are tv, single films (and tv films, shorts, videos) movies, episodes neither. */
function mediaTypeOf(titleType: string): MediaType | 'episode' {
  const type = titleType.toLowerCase().replace(/[\s_-]/g, '');
  if (type === 'tvepisode') return 'episode';
  return type === 'tvseries' || type === 'tvminiseries' ? 'tv' : 'movie';
}

type Get = (column: string) => string;

function titleRow(file: string, line: number, get: Get, key: string, action: RowAction, problem?: string): ImportRow {
  const name = get('Title') || get('Original Title') || undefined;
  const titleYear = year(get('Year'));
  const id = imdbId(get('Const'));
  const kind = mediaTypeOf(get('Title Type'));
  const row: ImportRow = { file, line, text: describeTitle(name, titleYear), key, action };
  if (id !== undefined) row.imdbId = id;
  if (name !== undefined) row.name = name;
  if (titleYear !== undefined) row.year = titleYear;
  if (kind !== 'episode') row.mediaType = kind;
  if (kind === 'episode') row.problem = 'episodes are not tracked, only films and series';
  else if (id === undefined) row.problem = `"${get('Const')}" is not an IMDb id`;
  else if (problem !== undefined) row.problem = problem;
  return row;
}

export function imdbRows(file: string, records: CsvRecord[]): ImportRow[] {
  const columns = headerOf(records);
  if (columns.has('Your Rating')) {
    return table(file, records, ['Const', 'Your Rating']).rows.map(({ line, get }) => {
      const score = tenPointScore(get('Your Rating'));
      return titleRow(
        file,
        line,
        get,
        `rating|${get('Const')}`,
        { kind: 'rating', score: score ?? 0 },
        score ? undefined : `rating "${get('Your Rating')}" is not 1 to 10`,
      );
    });
  }
  const { rows } = table(file, records, ['Position', 'Const']);
  if (rows.length > MAX_LIST_ITEMS)
    throw new ImportFileError(file, rows[MAX_LIST_ITEMS]!.line, `a list holds at most ${MAX_LIST_ITEMS} titles`);
  const watchlist = /watchlist/i.test(baseName(file));
  const list = { key: `imdb-list|${baseName(file)}`, name: clipText(baseName(file), 100) || 'IMDb list', description: '' };
  return rows.map(({ line, get }, index) => {
    const note = get('Description');
    const position = Number(get('Position'));
    const action: RowAction = watchlist
      ? { kind: 'watchlist' }
      : { kind: 'list', list, position: Number.isInteger(position) ? position : index + 1 };
    if (note !== '') action.note = note;
    const problem = note !== '' && length(note) > 500 ? 'the note is longer than 500 characters' : undefined;
    return titleRow(file, line, get, `${watchlist ? 'watchlist' : list.key}|${get('Const')}`, action, problem);
  });
}
