import type { MyTitleState, TitleDetails } from '@reeltime/schemas';
import { iso, type ReadDb, readQuery } from '../db.ts';

type DetailsRow = {
  title_id: string;
  media_type: 'movie' | 'tv';
  tmdb_id: number;
  imdb_id: string | null;
  title: string;
  original_title: string;
  overview: string;
  release_date: string | null;
  year: number | null;
  runtime_minutes: number | null;
  original_language: string;
  genre_ids: number[];
  genres: string[];
  keywords: TitleDetails['keywords'];
  cast: TitleDetails['cast'];
  directors: TitleDetails['directors'];
  poster_url: string | null;
  backdrop_url: string | null;
  popularity: number;
  vote_average: number;
  vote_count: number;
  watch_providers: Record<string, unknown>;
  number_of_seasons: number | null;
  number_of_episodes: number | null;
  status: string | null;
  rating_average: number | null;
  rating_count: number;
  watch_count: number;
  list_count: number;
};

const detailsQuery = ({ titles, title_stats }: ReadDb['read'], titleId: string) => readQuery`
  SELECT t.title_id, t.media_type, t.tmdb_id, t.imdb_id, t.title, t.original_title, t.overview, t.release_date, t.year, t.runtime_minutes,
         t.original_language, t.genre_ids, t.genres, t.keywords, t."cast", t.directors, t.poster_url, t.backdrop_url, t.popularity,
         t.vote_average, t.vote_count, t.watch_providers, t.number_of_seasons, t.number_of_episodes, t.status,
         s.rating_average::float8 AS rating_average, coalesce(s.rating_count, 0) AS rating_count,
         coalesce(s.watch_count, 0) AS watch_count, coalesce(s.list_count, 0) AS list_count
    FROM ${titles} t LEFT JOIN ${title_stats} s ON s.title_id = t.title_id
   WHERE t.title_id = ${titleId}`;

const mineQuery = ({ ratings, list_items, lists, diary }: ReadDb['read'], userId: string, titleId: string) => readQuery`
  SELECT (SELECT json_build_object('score', score, 'review', review, 'containsSpoilers', contains_spoilers,
                                   'ratedAt', ${iso('rated_at')}, 'updatedAt', ${iso('updated_at')})
            FROM ${ratings} WHERE user_id = ${userId} AND title_id = ${titleId}) AS rating,
         ARRAY(SELECT l.list_id FROM ${list_items} i JOIN ${lists} l ON l.list_id = i.list_id
                WHERE l.owner_id = ${userId} AND i.title_id = ${titleId} ORDER BY l.kind = 'watchlist' DESC, l.created_at, l.list_id) AS list_ids,
         (SELECT count(*)::int FROM ${diary} WHERE user_id = ${userId} AND title_id = ${titleId}) AS watch_count`;

export async function titleDetails(db: ReadDb, titleId: string, userId: string | undefined): Promise<TitleDetails | undefined> {
  const [rows, mine] = await Promise.all([
    db.any<DetailsRow>(detailsQuery(db.read, titleId)),
    userId === undefined
      ? undefined
      : db.any<{ rating: MyTitleState['rating']; list_ids: string[]; watch_count: number }>(mineQuery(db.read, userId, titleId)),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const details: TitleDetails = {
    id: row.title_id,
    type: row.media_type,
    tmdbId: row.tmdb_id,
    imdbId: row.imdb_id,
    title: row.title,
    originalTitle: row.original_title,
    overview: row.overview,
    releaseDate: row.release_date,
    year: row.year,
    runtimeMinutes: row.runtime_minutes,
    originalLanguage: row.original_language,
    genres: row.genre_ids.map((id, i) => ({ id, name: row.genres[i] ?? String(id) })),
    keywords: row.keywords,
    cast: row.cast.map((member) => ({ ...member, character: member.character ?? null })),
    directors: row.directors,
    posterUrl: row.poster_url,
    backdropUrl: row.backdrop_url,
    popularity: row.popularity,
    voteAverage: row.vote_average,
    voteCount: row.vote_count,
    watchProviders: row.watch_providers,
    numberOfSeasons: row.number_of_seasons,
    numberOfEpisodes: row.number_of_episodes,
    status: row.status,
    rating: { average: row.rating_average, count: row.rating_count },
    stats: { ratingAverage: row.rating_average, ratingCount: row.rating_count, watchCount: row.watch_count, listCount: row.list_count },
  };
  const me = mine?.[0];
  if (me) details.me = { rating: me.rating, listIds: me.list_ids, watchCount: me.watch_count };
  return details;
}
