import { Type, type Static, type TSchema } from 'typebox';
import { GenreId } from '../genres.ts';
import { DiaryEntryId, IsoDate, IsoDateTime, LanguageCode, ListId, MediaType, PersonId, TitleId, UserId } from '../ids.ts';
import { ListKind, ListVisibility } from '../events/lists.ts';
import { StrictObject } from '../strict.ts';
import { Text } from '../text.ts';
import { Position } from './commands.ts';

// Answers and parameters of query-api (api.md). Nullable fields are `T | null` rather than
// absent: a client can tell "no value" from "older server".

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A position as a query parameter or header. Both store adapters encode positions as two
 * 20-digit numbers, so anything else is refused (400) instead of waiting for a position that
 * cannot come.
 */
export const PositionToken = Type.String({
  pattern: '^[0-9]{20}-[0-9]{20}$',
  maxLength: 41,
  description: 'A position as returned in `position` / `X-Position`',
});
export type PositionToken = Static<typeof PositionToken>;

/** Opaque continuation token of a page; only valid with the same filters and sort. */
export const Cursor = Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 512, description: 'Opaque `nextCursor` of the previous page' });

export const pageLimit = (defaultLimit: number, maximum: number) =>
  Type.Integer({ minimum: 1, maximum, default: defaultLimit, description: `Page size (default ${defaultLimit}, at most ${maximum})` });

/** Read-your-writes: wait until the read models have processed this position (api.md). */
export const ConsistencyHeaders = Type.Object({
  // An empty header is the same as none: proxies and HTTP clients send one for an unset value.
  'x-min-position': Type.Optional(
    Type.Union([PositionToken, Type.Literal('')], { description: 'Wait for this position (empty: do not wait)' }),
  ),
});

export const TitleSort = Type.Enum(['popular', 'top_rated', 'newest', 'trending', 'relevance'], {
  description: '`relevance` (the default when `q` is given) ranks by text match; otherwise `popular` is the default',
});
export type TitleSort = Static<typeof TitleSort>;

export const TitleSearchQuery = StrictObject({
  q: Type.Optional(Text({ minLength: 1, maxLength: 200, description: 'Typo-tolerant text search' })),
  genre: Type.Optional(GenreId),
  type: Type.Optional(MediaType),
  year: Type.Optional(Type.Integer({ minimum: 1870, maximum: 2200, description: 'Released in this year' })),
  yearFrom: Type.Optional(Type.Integer({ minimum: 1870, maximum: 2200, description: 'Released in this year or later' })),
  yearTo: Type.Optional(Type.Integer({ minimum: 1870, maximum: 2200, description: 'Released in this year or earlier' })),
  sort: Type.Optional(TitleSort),
  limit: Type.Optional(pageLimit(20, 100)),
  cursor: Type.Optional(Cursor),
});
export type TitleSearchQuery = Static<typeof TitleSearchQuery>;

export const UserParams = StrictObject({ userId: UserId });

export const PageQuery = StrictObject({
  limit: Type.Optional(pageLimit(20, 100)),
  cursor: Type.Optional(Cursor),
});
export type PageQuery = Static<typeof PageQuery>;

export const ListItemsQuery = StrictObject({
  limit: Type.Optional(pageLimit(100, 1000)),
  cursor: Type.Optional(Cursor),
});
export type ListItemsQuery = Static<typeof ListItemsQuery>;

export const SimilarQuery = StrictObject({ limit: Type.Optional(pageLimit(10, 50)) });
export type SimilarQuery = Static<typeof SimilarQuery>;

export const RecommendationsQuery = StrictObject({
  limit: Type.Optional(pageLimit(20, 50)),
  type: Type.Optional(MediaType),
  cursor: Type.Optional(Cursor),
});
export type RecommendationsQuery = Static<typeof RecommendationsQuery>;

export const FeedQuery = StrictObject({
  before: Type.Optional(PositionToken),
  limit: Type.Optional(pageLimit(20, 100)),
});
export type FeedQuery = Static<typeof FeedQuery>;

export const TitleRating = Type.Object({
  average: Nullable(Type.Number({ description: 'In-app average score (1..10), null without ratings' })),
  count: Type.Integer(),
});

export const TitleSummary = Type.Object(
  {
    id: TitleId,
    type: MediaType,
    title: Type.String(),
    year: Nullable(Type.Integer()),
    posterUrl: Nullable(Type.String()),
    genres: Type.Array(Type.String(), { description: 'Genre names' }),
    rating: TitleRating,
  },
  { $id: 'TitleSummary' },
);
export type TitleSummary = Static<typeof TitleSummary>;

export const TitlePage = Type.Object({ items: Type.Array(TitleSummary), nextCursor: Nullable(Cursor) });
export type TitlePage = Static<typeof TitlePage>;

export const TitleStats = Type.Object({
  ratingAverage: Nullable(Type.Number()),
  ratingCount: Type.Integer(),
  watchCount: Type.Integer(),
  listCount: Type.Integer({ description: 'Public lists containing the title' }),
});
export type TitleStats = Static<typeof TitleStats>;

export const MyTitleState = Type.Object({
  rating: Nullable(
    Type.Object({
      score: Type.Integer(),
      review: Nullable(Type.String()),
      containsSpoilers: Type.Boolean(),
      ratedAt: IsoDateTime,
      updatedAt: IsoDateTime,
    }),
  ),
  listIds: Type.Array(ListId, { description: 'Your lists (any visibility) containing the title' }),
  watchCount: Type.Integer(),
});
export type MyTitleState = Static<typeof MyTitleState>;

const Person = Type.Object({ personId: PersonId, name: Type.String() });

export const TitleDetails = Type.Object({
  id: TitleId,
  type: MediaType,
  tmdbId: Type.Integer(),
  imdbId: Nullable(Type.String()),
  title: Type.String(),
  originalTitle: Type.String(),
  overview: Type.String(),
  releaseDate: Nullable(IsoDate),
  year: Nullable(Type.Integer()),
  runtimeMinutes: Nullable(Type.Integer()),
  originalLanguage: Type.String(),
  genres: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  keywords: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  cast: Type.Array(Type.Object({ personId: PersonId, name: Type.String(), character: Nullable(Type.String()), order: Type.Integer() })),
  directors: Type.Array(Person),
  posterUrl: Nullable(Type.String()),
  backdropUrl: Nullable(Type.String()),
  popularity: Type.Number(),
  voteAverage: Type.Number({ description: 'TMDb vote average (0..10)' }),
  voteCount: Type.Integer(),
  watchProviders: Type.Record(Type.String(), Type.Unknown(), { description: 'TMDb watch providers by region' }),
  numberOfSeasons: Nullable(Type.Integer()),
  numberOfEpisodes: Nullable(Type.Integer()),
  status: Nullable(Type.String()),
  rating: TitleRating,
  stats: TitleStats,
  me: Type.Optional(MyTitleState),
});
export type TitleDetails = Static<typeof TitleDetails>;

export const SimilarTitles = Type.Object({
  items: Type.Array(Type.Object({ title: TitleSummary, score: Type.Number({ description: '0..1, higher is more similar' }) })),
});
export type SimilarTitles = Static<typeof SimilarTitles>;

export const Genre = Type.Object({ id: Type.Integer(), name: Type.String() });
export const GenreListAnswer = Type.Array(Genre);

export const ListSummary = Type.Object(
  {
    listId: ListId,
    ownerId: UserId,
    ownerName: Nullable(Type.String()),
    name: Type.String(),
    description: Type.String(),
    visibility: ListVisibility,
    kind: ListKind,
    itemCount: Type.Integer(),
    version: Type.Integer({ description: 'List stream version (also the ETag, for `If-Match`)' }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { $id: 'ListSummary' },
);
export type ListSummary = Static<typeof ListSummary>;

export const ListPage = Type.Object({ items: Type.Array(ListSummary), nextCursor: Nullable(Cursor) });
export type ListPage = Static<typeof ListPage>;

export const ListItemView = Type.Object({ title: TitleSummary, note: Nullable(Type.String()), addedAt: IsoDateTime });
export const ListView = Type.Object({
  ...ListSummary.properties,
  items: Type.Array(ListItemView, { description: 'In list order; the next ones with `?cursor=nextCursor`' }),
  nextCursor: Nullable(Cursor),
});
export type ListView = Static<typeof ListView>;

export const RatingView = Type.Object({
  title: TitleSummary,
  score: Type.Integer(),
  review: Nullable(Type.String()),
  containsSpoilers: Type.Boolean(),
  ratedAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export const RatingPage = Type.Object({ items: Type.Array(RatingView), nextCursor: Nullable(Cursor) });
export type RatingPage = Static<typeof RatingPage>;

export const DiaryEntryView = Type.Object({
  entryId: DiaryEntryId,
  title: TitleSummary,
  watchedOn: IsoDate,
  rewatch: Type.Boolean(),
  loggedAt: IsoDateTime,
});
export const DiaryPage = Type.Object({ items: Type.Array(DiaryEntryView), nextCursor: Nullable(Cursor) });
export type DiaryPage = Static<typeof DiaryPage>;

/** Same shape as the body of `PUT /preferences`, every part present. */
export const PreferencesView = Type.Object({
  genres: Type.Object({ liked: Type.Array(GenreId), disliked: Type.Array(GenreId) }),
  people: Type.Object({ liked: Type.Array(PersonId) }),
  languages: Type.Array(LanguageCode),
  mediaTypes: Type.Array(MediaType),
  updatedAt: Nullable(IsoDateTime),
});
export type PreferencesView = Static<typeof PreferencesView>;

export const RecommendationReason = Type.Object({
  kind: Type.Enum(['similar', 'genre', 'person', 'popular', 'trending']),
  text: Type.String({ examples: ['Because you liked Heat'] }),
  titleId: Type.Optional(TitleId),
});
export type RecommendationReason = Static<typeof RecommendationReason>;

export const Recommendations = Type.Object({
  items: Type.Array(
    Type.Object({ title: TitleSummary, score: Type.Number(), reasons: Type.Array(RecommendationReason, { minItems: 1, maxItems: 3 }) }),
    {
      description: 'Best first; the next ones with `?cursor=nextCursor` (same `type`)',
    },
  ),
  nextCursor: Nullable(Cursor),
  position: Position,
});
export type Recommendations = Static<typeof Recommendations>;

export const FeedKind = Type.Enum(['rated', 'watched', 'list_created', 'list_published', 'list_item_added']);

export const FeedEntry = Type.Object({
  position: Position,
  kind: FeedKind,
  user: Type.Object({ userId: UserId, displayName: Nullable(Type.String()) }),
  title: Nullable(TitleSummary),
  list: Nullable(Type.Object({ listId: ListId, name: Type.String() })),
  entryId: Nullable(DiaryEntryId),
  data: Type.Record(Type.String(), Type.Unknown(), {
    description: '`rated`: {score, review?, containsSpoilers} · `watched`: {watchedOn, rewatch} · `list_*`: {name, note?}',
  }),
  occurredAt: IsoDateTime,
});
export type FeedEntry = Static<typeof FeedEntry>;

export const FeedPage = Type.Object({
  items: Type.Array(FeedEntry),
  nextCursor: Nullable(Type.String({ ...PositionToken, description: 'Pass as `before` for the next (older) page' })),
});
export type FeedPage = Static<typeof FeedPage>;
