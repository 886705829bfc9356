import type { ExportDiaryEntry, ExportListItem, ExportRating, ExportTitle, ListKind, ListVisibility } from '@reeltime/schemas';
import { sql, type FragmentSqlToken, type QuerySqlToken } from 'slonik';
import { iso, readQuery, type ReadViews } from '../db.ts';

// What an export reads, all for one user, each ordered by an index of READMODELS.md.
// Dates and timestamps are selected as text: a cursor does not use the pool's type parsers.

/**
 * A title's ids from the user's own row (`column`), so a title the catalog no longer has (or has
 * not projected yet) still exports with its TMDb id; name, year and IMDb id from `read.titles t`.
 */
const titleColumns = (column: FragmentSqlToken) => sql.fragment`${column} AS title_id, split_part(${column}, ':', 1) AS media_type,
  nullif(split_part(${column}, ':', 2), '')::int AS tmdb_id, t.imdb_id, t.title, t.year`;

export type TitleRow = {
  title_id: string;
  media_type: 'movie' | 'tv';
  tmdb_id: number;
  imdb_id: string | null;
  title: string | null;
  year: number | null;
};

export const toExportTitle = (row: TitleRow): ExportTitle => ({
  titleId: row.title_id,
  mediaType: row.media_type,
  tmdbId: row.tmdb_id,
  imdbId: row.imdb_id,
  title: row.title,
  year: row.year,
});

export type ProfileRow = { user_id: string; display_name: string; registered_at: string };
export const profileQuery = ({ users }: ReadViews, userId: string): QuerySqlToken =>
  readQuery`SELECT user_id, display_name, ${iso('registered_at')} AS registered_at FROM ${users} WHERE user_id = ${userId}`;

export type RatingRow = TitleRow & {
  score: number;
  review: string | null;
  contains_spoilers: boolean;
  rated_at: string;
  updated_at: string;
};
export const ratingsQuery = (
  { ratings, titles }: ReadViews,
  userId: string,
): QuerySqlToken => readQuery`SELECT ${titleColumns(sql.fragment`r.title_id`)}, r.score, r.review, r.contains_spoilers,
       ${iso('r.rated_at')} AS rated_at, ${iso('r.updated_at')} AS updated_at
  FROM ${ratings} r LEFT JOIN ${titles} t ON t.title_id = r.title_id
 WHERE r.user_id = ${userId}
 ORDER BY r.updated_at DESC, r.title_id`;

export const toExportRating = (row: RatingRow): ExportRating => ({
  ...toExportTitle(row),
  score: row.score,
  review: row.review,
  containsSpoilers: row.contains_spoilers,
  ratedAt: row.rated_at,
  updatedAt: row.updated_at,
});

/** `rating`: the title's current score (Letterboxd's diary rows carry one). */
export type DiaryRow = TitleRow & { entry_id: string; watched_on: string; rewatch: boolean; logged_at: string; rating: number | null };
export const diaryQuery = (
  { diary, titles, ratings }: ReadViews,
  userId: string,
): QuerySqlToken => readQuery`SELECT ${titleColumns(sql.fragment`d.title_id`)}, d.entry_id, d.watched_on::text AS watched_on, d.rewatch,
       ${iso('d.logged_at')} AS logged_at, r.score AS rating
  FROM ${diary} d
  LEFT JOIN ${titles} t ON t.title_id = d.title_id
  LEFT JOIN ${ratings} r ON r.user_id = d.user_id AND r.title_id = d.title_id
 WHERE d.user_id = ${userId}
 ORDER BY d.watched_on DESC, d.logged_at DESC, d.entry_id`;

export const toExportDiaryEntry = (row: DiaryRow): ExportDiaryEntry => ({
  ...toExportTitle(row),
  entryId: row.entry_id,
  watchedOn: row.watched_on,
  rewatch: row.rewatch,
  loggedAt: row.logged_at,
});

/**
 * Every list with its items, one row per item (one row with null item columns for an empty
 * list), lists in `GET /me/lists` order and items in list order: consecutive rows of a list
 * make one list, so lists of any size stream without being gathered.
 */
export type ListItemRow = Partial<TitleRow> & {
  list_id: string;
  kind: ListKind;
  name: string;
  description: string;
  visibility: ListVisibility;
  created_at: string;
  updated_at: string;
  title_id: string | null;
  note: string | null;
  added_at: string | null;
};
export const listItemsQuery = (
  { lists, list_items, titles }: ReadViews,
  userId: string,
): QuerySqlToken => readQuery`SELECT l.list_id, l.kind, l.name, l.description, l.visibility, ${iso('l.created_at')} AS created_at, ${iso('l.updated_at')} AS updated_at,
       ${titleColumns(sql.fragment`i.title_id`)}, i.note, ${iso('i.added_at')} AS added_at
  FROM ${lists} l
  LEFT JOIN ${list_items} i ON i.list_id = l.list_id
  LEFT JOIN ${titles} t ON t.title_id = i.title_id
 WHERE l.owner_id = ${userId}
 ORDER BY (l.kind = 'watchlist') DESC, l.created_at, l.list_id, i.ord, i.title_id`;

export const toExportListItem = (row: ListItemRow & TitleRow, position: number): ExportListItem => ({
  ...toExportTitle(row),
  position,
  note: row.note,
  addedAt: row.added_at!,
});

/** Letterboxd's watched.csv: every title rated or logged, dated by when it first was. */
export type WatchedRow = TitleRow & { first_at: string };
export const watchedQuery = (
  { diary, ratings, titles }: ReadViews,
  userId: string,
): QuerySqlToken => readQuery`SELECT ${titleColumns(sql.fragment`w.title_id`)}, ${iso('w.first_at')} AS first_at
  FROM (SELECT title_id, min(at) AS first_at
          FROM (SELECT title_id, logged_at AS at FROM ${diary} WHERE user_id = ${userId}
                UNION ALL SELECT title_id, rated_at FROM ${ratings} WHERE user_id = ${userId}) seen
         GROUP BY title_id) w
  LEFT JOIN ${titles} t ON t.title_id = w.title_id
 ORDER BY w.first_at, w.title_id`;
