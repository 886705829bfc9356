import { GenreId, LanguageCode, MediaType, PersonId } from '@reeltime/schemas';
import { Type, type Static } from 'typebox';
import type { TableSpec } from '../model/sql.ts';
import { Nullable, PositionText, Timestamp, columnsOf } from '../model/types.ts';

export const UserRow = Type.Object({
  user_id: Type.String(),
  display_name: Nullable(Type.String()),
  registered_at: Nullable(Timestamp),
  erased_at: Nullable(Timestamp),
  position: PositionText,
});
export type UserRow = Static<typeof UserRow>;

export const StatsRow = Type.Object({
  title_id: Type.String(),
  rating_count: Type.Integer(),
  rating_sum: Type.Integer(),
  watch_count: Type.Integer(),
  list_count: Type.Integer(),
  trending_score: Nullable(Type.Number()),
  last_activity_at: Nullable(Timestamp),
  updated_at: Timestamp,
  position: PositionText,
});
export type StatsRow = Static<typeof StatsRow>;

export const RatingRow = Type.Object({
  user_id: Type.String(),
  title_id: Type.String(),
  score: Type.Integer(),
  review: Nullable(Type.String()),
  contains_spoilers: Type.Boolean(),
  rated_at: Timestamp,
  updated_at: Timestamp,
  position: PositionText,
});
export type RatingRow = Static<typeof RatingRow>;

export const ListRow = Type.Object({
  list_id: Type.String(),
  owner_id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  visibility: Type.Enum(['private', 'public']),
  kind: Type.Enum(['custom', 'watchlist']),
  item_count: Type.Integer(),
  next_ord: Type.Integer(),
  version: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
  position: PositionText,
});
export type ListRow = Static<typeof ListRow>;

export const ItemRow = Type.Object({
  list_id: Type.String(),
  title_id: Type.String(),
  note: Nullable(Type.String()),
  ord: Type.Integer(),
  added_at: Timestamp,
  position: PositionText,
});
export type ItemRow = Static<typeof ItemRow>;

export const DiaryRow = Type.Object({
  entry_id: Type.String(),
  user_id: Type.String(),
  title_id: Type.String(),
  watched_on: Type.String(),
  rewatch: Type.Boolean(),
  logged_at: Timestamp,
  position: PositionText,
});
export type DiaryRow = Static<typeof DiaryRow>;

export const PreferencesRow = Type.Object({
  user_id: Type.String(),
  // Only what the events' schemas admitted, so the live notices can say so.
  liked_genres: Type.Array(GenreId),
  disliked_genres: Type.Array(GenreId),
  liked_people: Type.Array(PersonId),
  languages: Type.Array(LanguageCode),
  media_types: Type.Array(MediaType),
  updated_at: Timestamp,
  position: PositionText,
});
export type PreferencesRow = Static<typeof PreferencesRow>;

export const FeedRow = Type.Object({
  position: PositionText,
  kind: Type.Enum(['rated', 'watched', 'list_created', 'list_published', 'list_item_added']),
  user_id: Type.String(),
  title_id: Nullable(Type.String()),
  list_id: Nullable(Type.String()),
  entry_id: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  occurred_at: Timestamp,
});
export type FeedRow = Static<typeof FeedRow>;

export const specs = {
  users: { table: 'users', columns: columnsOf(UserRow), key: ['user_id'] } satisfies TableSpec<UserRow>,
  stats: { table: 'title_stats', columns: columnsOf(StatsRow), key: ['title_id'] } satisfies TableSpec<StatsRow>,
  ratings: { table: 'ratings', columns: columnsOf(RatingRow), key: ['user_id', 'title_id'] } satisfies TableSpec<RatingRow>,
  lists: { table: 'lists', columns: columnsOf(ListRow), key: ['list_id'] } satisfies TableSpec<ListRow>,
  items: { table: 'list_items', columns: columnsOf(ItemRow), key: ['list_id', 'title_id'] } satisfies TableSpec<ItemRow>,
  diary: { table: 'diary', columns: columnsOf(DiaryRow), key: ['entry_id'] } satisfies TableSpec<DiaryRow>,
  preferences: { table: 'preferences', columns: columnsOf(PreferencesRow), key: ['user_id'] } satisfies TableSpec<PreferencesRow>,
  feed: { table: 'feed', columns: columnsOf(FeedRow), key: ['position'] } satisfies TableSpec<FeedRow>,
};
