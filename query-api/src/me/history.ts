import type { DiaryPage, PreferencesView, RatingPage } from '@reeltime/schemas';
import { iso, type ReadDb } from '../db.ts';
import { afterKey, decodeCursor, keyColumns, orderBy, page, type SortKey } from '../paging/cursor.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

// Each ordering matches an index of READMODELS.md column for column, directions included.
const RATING_ORDER: SortKey[] = [
  { expr: 'r.updated_at', dir: 'desc', type: 'timestamptz' },
  { expr: 'r.title_id', dir: 'asc', type: 'text' },
];

type RatingRow = SummaryRow & {
  title_id: string;
  score: number;
  review: string | null;
  contains_spoilers: boolean;
  rated_at: string;
  updated_at: string;
} & Record<string, unknown>;

export async function myRatings(db: ReadDb, userId: string, limit: number, cursor?: string): Promise<RatingPage> {
  const values: unknown[] = [userId];
  const after = decodeCursor(cursor, 'ratings', RATING_ORDER);
  const condition = after ? `AND ${afterKey(RATING_ORDER, after, values)}` : '';
  values.push(limit + 1);
  const rows = await db.query<RatingRow>(
    `SELECT r.title_id, r.score, r.review, r.contains_spoilers, ${iso('r.rated_at')} AS rated_at, ${iso('r.updated_at')} AS updated_at,
            ${SUMMARY_COLUMNS}, ${keyColumns(RATING_ORDER)}
       FROM read.ratings r LEFT JOIN read.titles t ON t.title_id = r.title_id LEFT JOIN read.title_stats s ON s.title_id = r.title_id
      WHERE r.user_id = $1 ${condition}
      ORDER BY ${orderBy(RATING_ORDER)} LIMIT $${values.length}`,
    values,
  );
  return page(rows, limit, 'ratings', RATING_ORDER.length, (row) => ({
    title: toSummary(row, row.title_id),
    score: row.score,
    review: row.review,
    containsSpoilers: row.contains_spoilers,
    ratedAt: row.rated_at,
    updatedAt: row.updated_at,
  }));
}

const DIARY_ORDER: SortKey[] = [
  { expr: 'd.watched_on', dir: 'desc', type: 'date' },
  { expr: 'd.logged_at', dir: 'desc', type: 'timestamptz' },
  { expr: 'd.entry_id', dir: 'asc', type: 'text' },
];

type DiaryRow = SummaryRow & { entry_id: string; title_id: string; watched_on: string; rewatch: boolean; logged_at: string } & Record<
    string,
    unknown
  >;

export async function myDiary(db: ReadDb, userId: string, limit: number, cursor?: string): Promise<DiaryPage> {
  const values: unknown[] = [userId];
  const after = decodeCursor(cursor, 'diary', DIARY_ORDER);
  const condition = after ? `AND ${afterKey(DIARY_ORDER, after, values)}` : '';
  values.push(limit + 1);
  const rows = await db.query<DiaryRow>(
    `SELECT d.entry_id, d.title_id, d.watched_on, d.rewatch, ${iso('d.logged_at')} AS logged_at, ${SUMMARY_COLUMNS}, ${keyColumns(DIARY_ORDER)}
       FROM read.diary d LEFT JOIN read.titles t ON t.title_id = d.title_id LEFT JOIN read.title_stats s ON s.title_id = d.title_id
      WHERE d.user_id = $1 ${condition}
      ORDER BY ${orderBy(DIARY_ORDER)} LIMIT $${values.length}`,
    values,
  );
  return page(rows, limit, 'diary', DIARY_ORDER.length, (row) => ({
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

/** One user's preferences row (`$1` = user id); none means nothing set yet. */
export const PREFERENCES_SQL = `SELECT liked_genres, disliked_genres, liked_people, languages, media_types, ${iso('updated_at')} AS updated_at FROM read.preferences WHERE user_id = $1`;

export async function myPreferences(db: ReadDb, userId: string): Promise<PreferencesView> {
  return toPreferencesView((await db.prepared<PreferencesRow>(PREFERENCES_SQL, [userId]))[0]);
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
