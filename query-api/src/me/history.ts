import type { DiaryPage, PreferencesView, RatingPage } from '@reeltime/schemas';
import { sql, type QuerySqlToken } from 'slonik';
import { iso, type ReadDb, readQuery, type ReadViews } from '../db.ts';
import { andAfterKey, decodeCursor, ordering, page } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

// Each ordering matches an index of READMODELS.md column for column, directions included.
const RATING_ORDER = ordering([
  { expr: sql.fragment`r.updated_at`, dir: 'desc', type: 'timestamptz' },
  { expr: sql.fragment`r.title_id`, dir: 'asc', type: 'text' },
]);

type RatingRow = SummaryRow & {
  title_id: string;
  score: number;
  review: string | null;
  contains_spoilers: boolean;
  rated_at: string;
  updated_at: string;
} & Record<string, unknown>;

export async function myRatings(db: ReadDb, userId: string, limit: number, cursor?: string): Promise<RatingPage> {
  const after = decodeCursor(cursor, 'ratings', RATING_ORDER.keys);
  const { ratings, titles, title_stats } = db.read;
  const rows = await db.any<RatingRow>(
    readQuery`SELECT r.title_id, r.score, r.review, r.contains_spoilers, ${iso('r.rated_at')} AS rated_at, ${iso('r.updated_at')} AS updated_at,
            ${SUMMARY_COLUMNS}, ${RATING_ORDER.keyColumns}
       FROM ${ratings} r LEFT JOIN ${titles} t ON t.title_id = r.title_id LEFT JOIN ${title_stats} s ON s.title_id = r.title_id
      WHERE r.user_id = ${userId} ${andAfterKey(RATING_ORDER.keys, after)}
      ORDER BY ${RATING_ORDER.orderBy} LIMIT ${limit + 1}`,
  );
  return page(rows, limit, 'ratings', RATING_ORDER.keys.length, (row) => ({
    title: toSummary(row, row.title_id),
    score: row.score,
    review: row.review,
    containsSpoilers: row.contains_spoilers,
    ratedAt: row.rated_at,
    updatedAt: row.updated_at,
  }));
}

const DIARY_ORDER = ordering([
  { expr: sql.fragment`d.watched_on`, dir: 'desc', type: 'date' },
  { expr: sql.fragment`d.logged_at`, dir: 'desc', type: 'timestamptz' },
  { expr: sql.fragment`d.entry_id`, dir: 'asc', type: 'text' },
]);

type DiaryRow = SummaryRow & { entry_id: string; title_id: string; watched_on: string; rewatch: boolean; logged_at: string } & Record<
    string,
    unknown
  >;

export async function myDiary(db: ReadDb, userId: string, limit: number, cursor?: string): Promise<DiaryPage> {
  const after = decodeCursor(cursor, 'diary', DIARY_ORDER.keys);
  const { diary, titles, title_stats } = db.read;
  const rows = await db.any<DiaryRow>(
    readQuery`SELECT d.entry_id, d.title_id, d.watched_on, d.rewatch, ${iso('d.logged_at')} AS logged_at, ${SUMMARY_COLUMNS}, ${DIARY_ORDER.keyColumns}
       FROM ${diary} d LEFT JOIN ${titles} t ON t.title_id = d.title_id LEFT JOIN ${title_stats} s ON s.title_id = d.title_id
      WHERE d.user_id = ${userId} ${andAfterKey(DIARY_ORDER.keys, after)}
      ORDER BY ${DIARY_ORDER.orderBy} LIMIT ${limit + 1}`,
  );
  return page(rows, limit, 'diary', DIARY_ORDER.keys.length, (row) => ({
    entryId: row.entry_id,
    title: toSummary(row, row.title_id),
    watchedOn: row.watched_on,
    rewatch: row.rewatch,
    loggedAt: row.logged_at,
  }));
}

export type PreferencesRow = {
  liked_genres: number[];
  disliked_genres: number[];
  liked_people: number[];
  languages: string[];
  media_types: string[];
  updated_at: string;
};

/** One user's preferences row; none means nothing set yet. */
export const preferencesQuery = ({ preferences }: ReadViews, userId: string): QuerySqlToken =>
  readQuery`SELECT liked_genres, disliked_genres, liked_people, languages, media_types, ${iso('updated_at')} AS updated_at
               FROM ${preferences} WHERE user_id = ${userId}`;

export async function myPreferences(db: ReadDb, userId: string): Promise<PreferencesView> {
  return toPreferencesView((await db.any<PreferencesRow>(preferencesQuery(db.read, userId)))[0]);
}

export function toPreferencesView(row: PreferencesRow | undefined): PreferencesView {
  return {
    genres: {
      liked: (row?.liked_genres ?? []) as PreferencesView['genres']['liked'],
      disliked: (row?.disliked_genres ?? []) as PreferencesView['genres']['disliked'],
    },
    people: { liked: row?.liked_people ?? [] },
    languages: row?.languages ?? [],
    mediaTypes: (row?.media_types ?? []) as PreferencesView['mediaTypes'],
    updatedAt: row?.updated_at ?? null,
  };
}
