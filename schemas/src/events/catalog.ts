import { Type, type Static } from 'typebox';
import { GenreId } from '../genres.ts';
import { IsoDate, LanguageCode, MediaType, PersonId, RegionCode, TitleId, TmdbId } from '../ids.ts';
import { StrictObject } from '../strict.ts';

// Catalog events are appended by ingest to `title-movie-<tmdbId>` / `title-tv-<tmdbId>`.

const Name = Type.String({ minLength: 1, maxLength: 300 });

/** A TMDb image path such as `/kqjL17yufvn9OVLyXYpvtyrFfak.jpg`; clients prefix the image base URL. */
const ImagePath = Type.String({ pattern: '^/[^\\s/?#]+$', maxLength: 300 });
const NullableImagePath = Type.Union([ImagePath, Type.Null()]);

export const Keyword = StrictObject({
  id: Type.Integer({ minimum: 1 }),
  name: Name,
});
export type Keyword = Static<typeof Keyword>;

export const CastMember = StrictObject({
  personId: PersonId,
  name: Name,
  /** TMDb leaves it empty when unknown. */
  character: Type.String({ maxLength: 500 }),
  /** Billing order, 0 = top billed. */
  order: Type.Integer({ minimum: 0 }),
});
export type CastMember = Static<typeof CastMember>;

/** A director (movies) or creator (tv). */
export const Director = StrictObject({
  personId: PersonId,
  name: Name,
});
export type Director = Static<typeof Director>;

export const WatchProvider = StrictObject({
  providerId: Type.Integer({ minimum: 1 }),
  name: Name,
  logoPath: NullableImagePath,
});
export type WatchProvider = Static<typeof WatchProvider>;

const ProviderList = Type.Array(WatchProvider, { maxItems: 200 });

/** Where a title can be watched in one region (TMDb data by JustWatch). */
export const RegionWatchProviders = StrictObject({
  /** JustWatch page for the title in this region; TMDb's terms require linking it. */
  link: Type.Optional(Type.String({ format: 'uri', maxLength: 1000 })),
  flatrate: Type.Optional(ProviderList),
  rent: Type.Optional(ProviderList),
  buy: Type.Optional(ProviderList),
});
export type RegionWatchProviders = Static<typeof RegionWatchProviders>;

export const WatchProviders = Type.Record(RegionCode, RegionWatchProviders, {
  additionalProperties: false,
  maxProperties: 300,
  description: 'Keyed by ISO 3166-1 region code',
});
export type WatchProviders = Static<typeof WatchProviders>;

/** The normalized catalog record; TitleUpdated derives its `changes` from these same fields. */
const TitleFields = StrictObject({
  titleId: TitleId,
  mediaType: MediaType,
  tmdbId: TmdbId,
  imdbId: Type.Union([Type.String({ pattern: '^tt[0-9]{5,10}$', maxLength: 12 }), Type.Null()]),
  title: Name,
  originalTitle: Name,
  overview: Type.String({ maxLength: 10_000 }),
  /** Release date for movies, first air date for tv; null while unannounced. */
  releaseDate: Type.Union([IsoDate, Type.Null()]),
  year: Type.Union([Type.Integer({ minimum: 1870, maximum: 2200 }), Type.Null()]),
  /** For tv, the typical episode runtime. */
  runtimeMinutes: Type.Union([Type.Integer({ minimum: 0, maximum: 100_000 }), Type.Null()]),
  originalLanguage: LanguageCode,
  genreIds: Type.Array(GenreId, { uniqueItems: true, maxItems: 30 }),
  keywords: Type.Array(Keyword, { maxItems: 500 }),
  /** The top-billed cast only: enough for "because you liked <actor>" without storing whole credits. */
  cast: Type.Array(CastMember, { maxItems: 15 }),
  directors: Type.Array(Director, { maxItems: 50 }),
  posterPath: NullableImagePath,
  backdropPath: NullableImagePath,
  popularity: Type.Number({ minimum: 0 }),
  voteAverage: Type.Number({ minimum: 0, maximum: 10 }),
  voteCount: Type.Integer({ minimum: 0 }),
  watchProviders: WatchProviders,
  // tv only
  numberOfSeasons: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  numberOfEpisodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  /** TMDb's free-text status (`Returning Series`, `Ended`, ...); not an enum so new values do not break ingest. */
  status: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
});

/** The three identity fields say the same thing three ways; a mismatch is an ingest bug. */
export const TitleImportedData = Type.Refine(
  TitleFields,
  (title) => title.titleId === `${title.mediaType}:${title.tmdbId}`,
  (title) => `titleId must be "${title.mediaType}:${title.tmdbId}" (mediaType:tmdbId)`,
);
export type TitleImportedData = Static<typeof TitleImportedData>;

/** Identity fields never change: a different id is a different title. */
export const TitleChanges = Type.Partial(Type.Omit(TitleFields, ['titleId', 'mediaType', 'tmdbId']), {
  additionalProperties: false,
  minProperties: 1,
});
export type TitleChanges = Static<typeof TitleChanges>;

/** Only the fields that differ from the previous import; null clears a field. */
export const TitleUpdatedData = StrictObject({
  titleId: TitleId,
  changes: TitleChanges,
});
export type TitleUpdatedData = Static<typeof TitleUpdatedData>;
