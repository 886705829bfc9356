import { clipText, MAX_LIST_ITEMS } from '@reeltime/schemas';
import { headerOf, table, unescapeFormula, type CsvRecord } from '../csv.ts';
import { describeTitle, ImportFileError, type ImportRow, type RowAction } from '../rows.ts';
import { baseName, calendarDay, halfStarsToScore, imdbId, length, tmdbId, year } from './fields.ts';

// Letterboxd's export (Settings → Data → Export): ratings.csv, diary.csv, watched.csv,
// watchlist.csv, reviews.csv and lists/*.csv. Letterboxd's own rows name films by name and year
// only; Reeltime's export for Letterboxd adds the `tmdbID` and `imdbID` columns Letterboxd's
// importer documents, which match first, and escapes formula-like cells with a leading `'`.

const FILM = ['Date', 'Name', 'Year', 'Letterboxd URI'] as const;
const LIST_MARK = /^Letterboxd list export/i;

/** Whether these records look like a Letterboxd file (the list files start with a marker line). */
export function isLetterboxd(records: CsvRecord[]): boolean {
  return LIST_MARK.test(records[0]?.fields[0] ?? '') || headerOf(records).has('Letterboxd URI');
}

type Get = (column: string) => string;

/** `table`'s rows with formula escapes undone (see `unescapeFormula`). */
function rowsOf(file: string, records: CsvRecord[], required: readonly string[]): { line: number; get: Get }[] {
  return table(file, records, required).rows.map(({ line, get }) => ({ line, get: (column) => unescapeFormula(get(column)) }));
}

function filmRow(file: string, line: number, get: Get, key: string, action: RowAction, problem?: string): ImportRow {
  const name = get('Name') || undefined;
  const filmYear = year(get('Year'));
  const row: ImportRow = { file, line, text: describeTitle(name, filmYear), key, mediaType: 'movie', action };
  if (name !== undefined) row.name = name;
  if (filmYear !== undefined) row.year = filmYear;
  const tmdb = tmdbOf(get);
  if (tmdb !== undefined) row.tmdbId = tmdb;
  const imdb = imdbId(get('imdbID'));
  if (imdb !== undefined) row.imdbId = imdb;
  if (name === undefined) row.problem = 'the row names no film';
  else if (problem !== undefined) row.problem = problem;
  return row;
}

const tmdbOf = (get: Get) => (/^[0-9]+$/.test(get('tmdbID')) ? tmdbId(Number(get('tmdbID'))) : undefined);

/** The row's film: its Letterboxd URI, else its TMDb id (Reeltime's export), else `fallback`. */
function uriKey(get: Get, fallback: string): string {
  const tmdb = tmdbOf(get);
  return get('Letterboxd URI') || (tmdb === undefined ? fallback : `tmdb:${tmdb}`);
}

export function letterboxdRows(file: string, records: CsvRecord[]): ImportRow[] {
  if (LIST_MARK.test(records[0]?.fields[0] ?? '')) return listRows(file, records);
  const columns = headerOf(records);
  if (columns.has('Review')) return reviewRows(file, records);
  if (columns.has('Watched Date')) return diaryRows(file, records);
  if (columns.has('Rating')) return ratingRows(file, records);
  // watched.csv and watchlist.csv have the same columns: only the name tells them apart.
  const watchlist = /watchlist/i.test(baseName(file));
  // Reeltime's own watched.csv (the one with tmdbID) lists every title rated or logged: its
  // diary.csv and ratings.csv hold all of that, and a "watched" row would invent a diary day
  // for a title that was only rated.
  if (!watchlist && columns.has('tmdbID')) return [];
  return rowsOf(file, records, FILM).map(({ line, get }) => {
    if (watchlist) {
      // Description: the note Reeltime's export adds (Letterboxd's own watchlist.csv has none).
      const { action, problem } = noted({ kind: 'watchlist' }, get('Description'));
      return filmRow(file, line, get, `watchlist|${uriKey(get, get('Name'))}`, action, problem);
    }
    const day = calendarDay(get('Date'));
    return filmRow(
      file,
      line,
      get,
      `watched|${uriKey(get, get('Name'))}`,
      { kind: 'watched', watchedOn: day ?? '' },
      day ? undefined : `"${get('Date')}" is not a date`,
    );
  });
}

function ratingRows(file: string, records: CsvRecord[]): ImportRow[] {
  return rowsOf(file, records, [...FILM, 'Rating']).map(({ line, get }) => {
    const score = halfStarsToScore(get('Rating'));
    return filmRow(
      file,
      line,
      get,
      `rating|${uriKey(get, get('Name'))}`,
      { kind: 'rating', score: score ?? 0 },
      score ? undefined : `rating "${get('Rating')}" is not 0.5 to 5 stars`,
    );
  });
}

function watchOf(get: Get): { action: RowAction; problem?: string } {
  const watchedOn = calendarDay(get('Watched Date') || get('Date'));
  const rating = get('Rating');
  const score = rating === '' ? undefined : halfStarsToScore(rating);
  const action: RowAction = { kind: 'watch', watchedOn: watchedOn ?? '', rewatch: /^yes$/i.test(get('Rewatch')) };
  if (score !== undefined) action.score = score;
  if (watchedOn === undefined) return { action, problem: `"${get('Watched Date') || get('Date')}" is not a date` };
  if (rating !== '' && score === undefined) return { action, problem: `rating "${rating}" is not 0.5 to 5 stars` };
  return { action };
}

function diaryRows(file: string, records: CsvRecord[]): ImportRow[] {
  return rowsOf(file, records, [...FILM, 'Rating', 'Rewatch', 'Watched Date']).map(({ line, get }) => {
    const { action, problem } = watchOf(get);
    // Without a URI (Reeltime's export has none) the line tells two watches of a day apart.
    const key = `diary|${get('Letterboxd URI') || `${get('Name')}|${get('Year')}|${get('Watched Date')}|${line}`}`;
    return filmRow(file, line, get, key, action, problem);
  });
}

/** A review belongs to a rating: with a score it is one, without it completes the film's rating. */
function reviewRows(file: string, records: CsvRecord[]): ImportRow[] {
  return rowsOf(file, records, [...FILM, 'Rating', 'Review']).map(({ line, get }) => {
    const review = get('Review');
    const score = halfStarsToScore(get('Rating'));
    const action: RowAction = score === undefined ? { kind: 'review', review } : { kind: 'rating', score, review };
    const problem =
      review === '' ? 'the review is empty' : length(review) > 5000 ? 'the review is longer than 5,000 characters' : undefined;
    return filmRow(file, line, get, `review|${uriKey(get, get('Name'))}`, action, problem);
  });
}

/** `Letterboxd list export v7`, the list's own header and row, a blank line, then its films. */
function listRows(file: string, records: CsvRecord[]): ImportRow[] {
  const itemsAt = records.findIndex((record, index) => index > 0 && record.fields[0]?.trim() === 'Position');
  if (itemsAt < 0) throw new ImportFileError(file, records.at(-1)?.line ?? 1, 'missing the Position, Name, Year, URL block of a list');
  const about = rowsOf(file, records.slice(1, itemsAt), ['Name'])[0];
  const name = clipText(about?.get('Name') || baseName(file), 100);
  const list = { key: about?.get('URL') || `file|${baseName(file)}`, name, description: clipText(about?.get('Description') ?? '', 1000) };
  const items = rowsOf(file, records.slice(itemsAt), ['Position', 'Name', 'Year']);
  if (items.length > MAX_LIST_ITEMS)
    throw new ImportFileError(file, items[MAX_LIST_ITEMS]!.line, `a list holds at most ${MAX_LIST_ITEMS} films`);
  return items.map(({ line, get }, index) => {
    const position = Number(get('Position'));
    const { action, problem } = noted(
      { kind: 'list', list, position: Number.isInteger(position) ? position : index + 1 },
      get('Description'),
    );
    return filmRow(file, line, get, `list|${list.key}|${get('URL') || get('Name')}`, action, problem);
  });
}

/** A list or watchlist item with its note (the Description column), when there is one. */
function noted<Item extends Extract<RowAction, { kind: 'list' | 'watchlist' }>>(
  item: Item,
  note: string,
): { action: Item; problem?: string } {
  if (note === '') return { action: item };
  const action = { ...item, note };
  return length(note) > 500 ? { action, problem: 'the note is longer than 500 characters' } : { action };
}
