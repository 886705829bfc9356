import { Type, type Static } from 'typebox';
import { CastMember, Director, Keyword, WatchProviders } from '@reeltime/schemas';
import type { TableSpec } from '../model/sql.ts';
import { Nullable, PositionText, Timestamp, columnsOf } from '../model/types.ts';

export const TitleRow = Type.Object({
  title_id: Type.String(),
  media_type: Type.String(),
  tmdb_id: Type.Integer(),
  imdb_id: Nullable(Type.String()),
  title: Type.String(),
  original_title: Type.String(),
  overview: Type.String(),
  release_date: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  runtime_minutes: Nullable(Type.Integer()),
  original_language: Type.String(),
  genre_ids: Type.Array(Type.Integer()),
  genres: Type.Array(Type.String()),
  keywords: Type.Array(Keyword),
  cast: Type.Array(CastMember),
  directors: Type.Array(Director),
  poster_path: Nullable(Type.String()),
  poster_url: Nullable(Type.String()),
  backdrop_path: Nullable(Type.String()),
  backdrop_url: Nullable(Type.String()),
  popularity: Type.Number(),
  vote_average: Type.Number(),
  vote_count: Type.Integer(),
  watch_providers: WatchProviders,
  number_of_seasons: Nullable(Type.Integer()),
  number_of_episodes: Nullable(Type.Integer()),
  status: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
  position: PositionText,
});
export type TitleRow = Static<typeof TitleRow>;

export const TitlePersonRow = Type.Object({
  title_id: Type.String(),
  role: Type.Enum(['cast', 'director']),
  person_id: Type.Integer(),
  name: Type.String(),
  character: Nullable(Type.String()),
  ord: Type.Integer(),
});
export type TitlePersonRow = Static<typeof TitlePersonRow>;

export const PersonRow = Type.Object({
  person_id: Type.Integer(),
  name: Type.String(),
  title_count: Type.Integer(),
});
export type PersonRow = Static<typeof PersonRow>;

export const specs = {
  titles: { table: 'titles', columns: columnsOf(TitleRow), key: ['title_id'] } satisfies TableSpec<TitleRow>,
  titlePeople: {
    table: 'title_people',
    columns: columnsOf(TitlePersonRow),
    key: ['title_id', 'role', 'person_id'],
  } satisfies TableSpec<TitlePersonRow>,
  people: { table: 'people', columns: columnsOf(PersonRow), key: ['person_id'] } satisfies TableSpec<PersonRow>,
};
