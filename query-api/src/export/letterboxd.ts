import { stringify } from 'csv-stringify/sync';
import type { DiaryRow, ListItemRow, RatingRow, TitleRow, WatchedRow } from './rows.ts';

// Letterboxd's own export format (the files its importer takes back), as pure functions from
// read-model rows to csv text. Letterboxd's columns come first, exactly as Letterboxd writes
// them; `tmdbID` and `imdbID` follow, the columns Letterboxd's importer documents for an exact
// match (letterboxd.com/about/importing-data): we have no Letterboxd URIs, so that column is
// empty and the ids do the matching, with Name + Year as the fallback. watchlist.csv ends with a
// `Description` column, the item's note as in a list file's rows: Letterboxd's watchlist has no
// notes and its importer skips columns it does not know, but ours reads it back.

const IDS = ['tmdbID', 'imdbID'];

export const HEADERS = {
  ratings: ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', ...IDS],
  diary: ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Tags', 'Watched Date', ...IDS],
  watched: ['Date', 'Name', 'Year', 'Letterboxd URI', ...IDS],
  watchlist: ['Date', 'Name', 'Year', 'Letterboxd URI', ...IDS, 'Description'],
  reviews: ['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Review', 'Tags', 'Watched Date', ...IDS],
  list: ['Date', 'Name', 'Tags', 'URL', 'Description'],
  listItems: ['Position', 'Name', 'Year', 'URL', 'Description', ...IDS],
} as const;

/** The first line of a Letterboxd list file. */
export const LIST_MARKER = 'Letterboxd list export v7';

export type Cell = string | number | null | undefined;

/**
 * Rows as csv text. A cell that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading `'` (OWASP's CSV-injection advice; Letterboxd
 * shows names and reviews as text, so only their first character changes).
 */
export function csv(rows: readonly (readonly Cell[])[]): string {
  return stringify(rows as Cell[][], { escape_formulas: true });
}

/** Reeltime scores 1..10 as Letterboxd's half stars 0.5..5. */
export const halfStars = (score: number | null): string => (score === null ? '' : String(score / 2));

/** `YYYY-MM-DD` of an ISO timestamp (timestamps are written in UTC). */
export const day = (timestamp: string): string => timestamp.slice(0, 10);

const film = (row: TitleRow): Cell[] => [row.title ?? '', row.year ?? '', ''];
const ids = (row: TitleRow): Cell[] => [row.tmdb_id, row.imdb_id ?? ''];

/** Letterboxd has films only: TV titles are left out of its files (and counted in the README). */
export const isFilm = (row: { media_type?: string | null }): boolean => row.media_type === 'movie';

export const ratingCells = (row: RatingRow): Cell[] => [day(row.updated_at), ...film(row), halfStars(row.score), ...ids(row)];

export const diaryCells = (row: DiaryRow): Cell[] => [
  day(row.logged_at),
  ...film(row),
  halfStars(row.rating),
  row.rewatch ? 'Yes' : '',
  '',
  row.watched_on,
  ...ids(row),
];

export const watchedCells = (row: WatchedRow): Cell[] => [day(row.first_at), ...film(row), ...ids(row)];

export const watchlistCells = (row: ListItemRow & TitleRow): Cell[] => [day(row.added_at!), ...film(row), ...ids(row), row.note ?? ''];

/** A review has no watch of its own here: Rewatch and Watched Date stay empty. */
export const reviewCells = (row: RatingRow): Cell[] => [
  day(row.updated_at),
  ...film(row),
  halfStars(row.score),
  '',
  row.review,
  '',
  '',
  ...ids(row),
];

/** A list file's header block: marker, the list's own row, a blank line, then the items' header. */
export const listHeader = (row: ListItemRow): string =>
  `${LIST_MARKER}\n${csv([HEADERS.list, [day(row.created_at), row.name, '', '', row.description]])}\n${csv([HEADERS.listItems])}`;

export const listItemCells = (row: ListItemRow & TitleRow, position: number): Cell[] => [
  position,
  row.title ?? '',
  row.year ?? '',
  '',
  row.note ?? '',
  ...ids(row),
];

/**
 * `lists/<name>.csv`: the name in lower case with every run of other than letters and digits as
 * one `-` (so no path can be formed), at most 80 characters, made unique with `-2`, `-3`, ….
 */
export function listFileName(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'list';
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return `lists/${candidate}.csv`;
}

/** What each file left out (TV titles), for the README. */
export type LeftOut = {
  ratings: number;
  diary: number;
  watched: number;
  watchlist: number;
  reviews: number;
  listItems: number;
  spoilerFlags: number;
};
export const nothingLeftOut = (): LeftOut => ({
  ratings: 0,
  diary: 0,
  watched: 0,
  watchlist: 0,
  reviews: 0,
  listItems: 0,
  spoilerFlags: 0,
});

export function readme(left: LeftOut, exportedAt: string): string {
  const tv = (count: number, what: string) => (count === 0 ? [] : [`- ${count} ${what}`]);
  const tvLines = [
    ...tv(left.ratings, 'TV ratings (ratings.csv)'),
    ...tv(left.diary, 'TV diary entries (diary.csv)'),
    ...tv(left.watched, 'watched TV titles (watched.csv)'),
    ...tv(left.watchlist, 'TV titles on your watchlist (watchlist.csv)'),
    ...tv(left.reviews, 'TV reviews (reviews.csv)'),
    ...tv(left.listItems, 'TV titles on your lists (lists/*.csv)'),
  ];
  return [
    'Reeltime export for Letterboxd',
    `Exported ${exportedAt}.`,
    '',
    'Import these files at letterboxd.com/import (ratings.csv, diary.csv, watched.csv, watchlist.csv,',
    'reviews.csv), and each file in lists/ as a new list. Letterboxd URI and URL are empty: the',
    'tmdbID and imdbID columns let Letterboxd match each film exactly, with Name and Year as fallback.',
    "watchlist.csv's last column, Description, holds your notes: Letterboxd's watchlist has none and",
    "ignores it, Reeltime's import reads it back.",
    '',
    'Left out, because Letterboxd has films only:',
    ...(tvLines.length > 0 ? tvLines : ['- nothing: you have no TV titles']),
    '',
    'Also not in these files (the JSON export, format=json, has everything):',
    '- whether a list is public or private (Letterboxd asks when you import a list),',
    `- the spoiler flag of your reviews${left.spoilerFlags > 0 ? ` (${left.spoilerFlags} reviews are marked as containing spoilers)` : ''},`,
    '- your preferences (genres, people, languages),',
    '- a rating per watch: Reeltime keeps one rating per title, so each diary row carries your current one.',
    '',
    'Cells that begin with = + - @ (which a spreadsheet would run as a formula) start with an apostrophe.',
    '',
  ].join('\n');
}
