import { Type, type Static, type TSchema } from 'typebox';

/*
 * The parts of TMDb v3 responses ingest reads. Objects stay open (TMDb adds fields without
 * notice); what we read is checked, so a changed or broken payload fails loudly per title
 * instead of turning into a wrong event.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.Integer({ minimum: 1 });

const Genre = Type.Object({ id: Type.Integer(), name: Type.String() });
const Keyword = Type.Object({ id: Id, name: Type.String() });

const Provider = Type.Object({
  provider_id: Id,
  provider_name: Type.String(),
  logo_path: Type.Optional(Nullable(Type.String())),
});
const ProviderList = Type.Optional(Type.Array(Provider));

export const TmdbRegionProviders = Type.Object({
  link: Type.Optional(Type.String()),
  flatrate: ProviderList,
  rent: ProviderList,
  buy: ProviderList,
});
export type TmdbRegionProviders = Static<typeof TmdbRegionProviders>;

const WatchProvidersAppend = Type.Object({ results: Type.Record(Type.String(), TmdbRegionProviders) });
const ExternalIds = Type.Object({ imdb_id: Type.Optional(Nullable(Type.String())) });
const CrewMember = Type.Object({ id: Id, name: Type.String(), job: Type.Optional(Type.String()) });

/** Fields movies and series share. */
const Common = {
  id: Id,
  overview: Type.Optional(Nullable(Type.String())),
  original_language: Type.String(),
  genres: Type.Array(Genre),
  poster_path: Type.Optional(Nullable(Type.String())),
  backdrop_path: Type.Optional(Nullable(Type.String())),
  popularity: Type.Number({ minimum: 0 }),
  vote_average: Type.Number({ minimum: 0, maximum: 10 }),
  vote_count: Type.Integer({ minimum: 0 }),
  status: Type.Optional(Nullable(Type.String())),
  external_ids: Type.Optional(ExternalIds),
  'watch/providers': Type.Optional(WatchProvidersAppend),
};

export const TmdbMovieDetails = Type.Object({
  ...Common,
  title: Type.String(),
  original_title: Type.String(),
  /** "" while unannounced. */
  release_date: Type.Optional(Nullable(Type.String())),
  runtime: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  imdb_id: Type.Optional(Nullable(Type.String())),
  credits: Type.Object({
    cast: Type.Array(
      Type.Object({ id: Id, name: Type.String(), character: Type.Optional(Nullable(Type.String())), order: Type.Integer({ minimum: 0 }) }),
    ),
    crew: Type.Array(CrewMember),
  }),
  keywords: Type.Object({ keywords: Type.Array(Keyword) }),
});
export type TmdbMovieDetails = Static<typeof TmdbMovieDetails>;

export const TmdbTvDetails = Type.Object({
  ...Common,
  name: Type.String(),
  original_name: Type.String(),
  first_air_date: Type.Optional(Nullable(Type.String())),
  episode_run_time: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
  last_episode_to_air: Type.Optional(Nullable(Type.Object({ runtime: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))) }))),
  number_of_seasons: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  number_of_episodes: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  created_by: Type.Optional(Type.Array(Type.Object({ id: Id, name: Type.String() }))),
  aggregate_credits: Type.Object({
    cast: Type.Array(
      Type.Object({
        id: Id,
        name: Type.String(),
        order: Type.Integer({ minimum: 0 }),
        roles: Type.Optional(
          Type.Array(Type.Object({ character: Type.Optional(Nullable(Type.String())), episode_count: Type.Optional(Type.Integer()) })),
        ),
      }),
    ),
  }),
  // Series keywords come as `results`, movie keywords as `keywords`: TMDb's own inconsistency.
  keywords: Type.Object({ results: Type.Array(Keyword) }),
});
export type TmdbTvDetails = Static<typeof TmdbTvDetails>;

/** A page of `/movie/popular`, `/tv/popular` or `/trending/...`: only the ids matter to us. */
export const TmdbTitlePage = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  total_pages: Type.Integer({ minimum: 0 }),
  results: Type.Array(Type.Object({ id: Id })),
});
export type TmdbTitlePage = Static<typeof TmdbTitlePage>;

/** A page of `/movie/changes` or `/tv/changes`. */
export const TmdbChangesPage = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  total_pages: Type.Integer({ minimum: 0 }),
  results: Type.Array(Type.Object({ id: Id, adult: Type.Optional(Nullable(Type.Boolean())) })),
});
export type TmdbChangesPage = Static<typeof TmdbChangesPage>;

/** `/find/{external_id}?external_source=imdb_id`: the titles TMDb knows under that id (only ids matter to us). */
export const TmdbFindResults = Type.Object({
  movie_results: Type.Array(Type.Object({ id: Id })),
  tv_results: Type.Array(Type.Object({ id: Id })),
});
export type TmdbFindResults = Static<typeof TmdbFindResults>;
