import { Type, type Static, type TSchema } from 'typebox';
import { DiaryEntryId, IsoDate, IsoDateTime, ListId, TitleId, UserId } from '../ids.ts';
import { ListItemNote, ListName } from '../events/lists.ts';
import { RatingScore, Review } from '../events/ratings.ts';
import { StrictObject } from '../strict.ts';
import { ImportId, ImportSource } from '../events/imports.ts';
import { ListSummary, PositionToken, PreferencesView, TitleStats } from './queries.ts';

// Messages of the WebSocket `GET /live` (api.md "Live updates"). Browser-safe: this module and
// its imports hold schemas only (no registry, no Node); `@reeltime/schemas/live` re-exports it.

/** `feed`, `me`, `title:<titleId>` or `list:<listId>`. */
export const LiveChannel = Type.String({
  pattern: '^(feed|me|title:(movie|tv):[1-9][0-9]{0,10}|list:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
  maxLength: 64,
  examples: ['feed', 'me', 'title:movie:603', 'list:0b7e0d3c-8c8f-4f5b-9a51-3f6f2d1c9e11'],
});
export type LiveChannel = Static<typeof LiveChannel>;

export const MAX_LIVE_CHANNELS = 100;

export const AuthMessage = StrictObject({ type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 4096 }) });
export type AuthMessage = Static<typeof AuthMessage>;

export const SubscribeMessage = StrictObject({
  type: Type.Literal('subscribe'),
  channels: Type.Array(LiveChannel, { minItems: 1, maxItems: MAX_LIVE_CHANNELS }),
  since: Type.Optional(PositionToken),
});
export type SubscribeMessage = Static<typeof SubscribeMessage>;

export const UnsubscribeMessage = StrictObject({
  type: Type.Literal('unsubscribe'),
  channels: Type.Array(LiveChannel, { minItems: 1, maxItems: MAX_LIVE_CHANNELS }),
});
export type UnsubscribeMessage = Static<typeof UnsubscribeMessage>;

export const LiveClientMessage = Type.Union([AuthMessage, SubscribeMessage, UnsubscribeMessage]);
export type LiveClientMessage = Static<typeof LiveClientMessage>;

export const AuthenticatedMessage = Type.Object({ type: Type.Literal('authenticated'), userId: Type.String() });
export type AuthenticatedMessage = Static<typeof AuthenticatedMessage>;

/** `position`: every update after it on these channels is (or was, with `since`) sent to you. */
export const SubscribedMessage = Type.Object({
  type: Type.Literal('subscribed'),
  channels: Type.Array(LiveChannel),
  position: PositionToken,
});
export type SubscribedMessage = Static<typeof SubscribedMessage>;

export const UnsubscribedMessage = Type.Object({ type: Type.Literal('unsubscribed'), channels: Type.Array(LiveChannel) });
export type UnsubscribedMessage = Static<typeof UnsubscribedMessage>;

// ---- `data` of an update: what the projector publishes (projector/src/activity) ----
// Open objects like every other server message (a client ignores fields it does not know); the
// projector's tests check that it sends exactly these fields.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const feedEntryCommon = { position: PositionToken, userId: UserId, occurredAt: IsoDateTime };

/**
 * A new public activity entry as the `feed` channel announces it: ids only (`GET /feed` has the
 * display name, title and list), and `data` by `kind`.
 */
export const LiveFeedEntry = Type.Union([
  Type.Object({
    ...feedEntryCommon,
    kind: Type.Literal('rated'),
    titleId: TitleId,
    listId: Type.Null(),
    entryId: Type.Null(),
    data: Type.Object({ score: RatingScore, containsSpoilers: Type.Boolean(), review: Type.Optional(Review) }),
  }),
  Type.Object({
    ...feedEntryCommon,
    kind: Type.Literal('watched'),
    titleId: TitleId,
    listId: Type.Null(),
    entryId: DiaryEntryId,
    data: Type.Object({ watchedOn: IsoDate, rewatch: Type.Boolean() }),
  }),
  Type.Object({
    ...feedEntryCommon,
    kind: Type.Enum(['list_created', 'list_published']),
    titleId: Type.Null(),
    listId: ListId,
    entryId: Type.Null(),
    data: Type.Object({ name: ListName }),
  }),
  Type.Object({
    ...feedEntryCommon,
    kind: Type.Literal('list_item_added'),
    titleId: TitleId,
    listId: ListId,
    entryId: Type.Null(),
    data: Type.Object({ name: ListName, note: Type.Optional(ListItemNote) }),
  }),
]);
export type LiveFeedEntry = Static<typeof LiveFeedEntry>;

/** Channel `feed`. */
export const FeedAddedUpdate = Type.Object({ type: Type.Literal('feed.added'), entry: LiveFeedEntry });
export type FeedAddedUpdate = Static<typeof FeedAddedUpdate>;

/** Channel `title:<titleId>`: the title's counters after the event. */
export const TitleStatsUpdate = Type.Object({ type: Type.Literal('title.stats'), titleId: TitleId, stats: TitleStats });
export type TitleStatsUpdate = Static<typeof TitleStatsUpdate>;

/** A list as its updates carry it: `ListSummary` without the owner's name and the times. */
export const LiveListSummary = Type.Omit(ListSummary, ['ownerName', 'createdAt', 'updatedAt']);
export type LiveListSummary = Static<typeof LiveListSummary>;

const listChangedCommon = {
  type: Type.Literal('list.changed'),
  listId: ListId,
  version: Type.Integer({ description: 'List stream version after the change (the ETag)' }),
  list: LiveListSummary,
};

/**
 * Channels `list:<listId>` and the owner's `me`: the list after the change. `change` is the
 * event type; item changes name their title, a reorder the whole new order.
 */
export const ListChangedUpdate = Type.Union([
  Type.Object({
    ...listChangedCommon,
    change: Type.Enum(['ListCreated', 'ListRenamed', 'ListDescriptionChanged', 'ListVisibilityChanged']),
  }),
  Type.Object({ ...listChangedCommon, change: Type.Enum(['ListItemAdded', 'ListItemRemoved']), titleId: TitleId }),
  Type.Object({
    ...listChangedCommon,
    change: Type.Literal('ListItemsReordered'),
    titleIds: Type.Array(TitleId, { description: 'Every item, in the new order' }),
  }),
]);
export type ListChangedUpdate = Static<typeof ListChangedUpdate>;

/** Channels `list:<listId>` and the owner's `me` (also when the owner is erased). */
export const ListDeletedUpdate = Type.Object({ type: Type.Literal('list.deleted'), listId: ListId, version: Type.Integer() });
export type ListDeletedUpdate = Static<typeof ListDeletedUpdate>;

/** Channel `me`: your rating of a title now, `null` once removed. */
export const RatingChangedUpdate = Type.Object({
  type: Type.Literal('rating.changed'),
  titleId: TitleId,
  rating: Nullable(Type.Object({ score: RatingScore, review: Nullable(Review), containsSpoilers: Type.Boolean() })),
});
export type RatingChangedUpdate = Static<typeof RatingChangedUpdate>;

/** Channel `me`. */
export const DiaryAddedUpdate = Type.Object({
  type: Type.Literal('diary.added'),
  entry: Type.Object({ entryId: DiaryEntryId, titleId: TitleId, watchedOn: IsoDate, rewatch: Type.Boolean() }),
});
export type DiaryAddedUpdate = Static<typeof DiaryAddedUpdate>;

/** Channel `me`. */
export const DiaryRemovedUpdate = Type.Object({ type: Type.Literal('diary.removed'), entryId: DiaryEntryId, titleId: TitleId });
export type DiaryRemovedUpdate = Static<typeof DiaryRemovedUpdate>;

/** Your preferences as `GET /preferences` answers them, without `updatedAt`. */
export const LivePreferences = Type.Omit(PreferencesView, ['updatedAt']);
export type LivePreferences = Static<typeof LivePreferences>;

/** Channel `me`: every preference after the change. */
export const PreferencesChangedUpdate = Type.Object({ type: Type.Literal('preferences.changed'), preferences: LivePreferences });
export type PreferencesChangedUpdate = Static<typeof PreferencesChangedUpdate>;

/** Channel `me`: your account was erased (the list, rating and diary removals come first). */
export const UserErasedUpdate = Type.Object({ type: Type.Literal('user.erased') });
export type UserErasedUpdate = Static<typeof UserErasedUpdate>;

/**
 * Channel `me`: your recommendations were re-scored and their order changed (after your own
 * activity, or after the model learned from everyone's). `titleIds` is the new top ten, so a
 * client can tell whether what it shows is affected before it refetches.
 */
export const RecommendationsChangedUpdate = Type.Object({
  type: Type.Literal('recommendations.changed'),
  titleIds: Type.Array(TitleId, { maxItems: 10 }),
});
export type RecommendationsChangedUpdate = Static<typeof RecommendationsChangedUpdate>;

/** Channel `me`: an import of yours moved on (`GET /imports/:importId` has its unmatched rows). */
export const ImportProgressUpdate = Type.Object({
  type: Type.Literal('import.progress'),
  importId: ImportId,
  status: Type.Enum(['running', 'completed', 'failed']),
  source: ImportSource,
  rows: Type.Integer({ minimum: 0 }),
  matched: Type.Integer({ minimum: 0 }),
  imported: Type.Integer({ minimum: 0 }),
  alreadyPresent: Type.Integer({ minimum: 0 }),
  unmatchedCount: Type.Integer({ minimum: 0 }),
});
export type ImportProgressUpdate = Static<typeof ImportProgressUpdate>;

/** `data` of an `update` message, discriminated by `type`. */
export const LiveUpdateData = Type.Union([
  FeedAddedUpdate,
  TitleStatsUpdate,
  ListChangedUpdate,
  ListDeletedUpdate,
  RatingChangedUpdate,
  DiaryAddedUpdate,
  DiaryRemovedUpdate,
  PreferencesChangedUpdate,
  UserErasedUpdate,
  RecommendationsChangedUpdate,
  ImportProgressUpdate,
]);
export type LiveUpdateData = Static<typeof LiveUpdateData>;
export type LiveUpdateType = LiveUpdateData['type'];
/** The update data of one `type`, e.g. `LiveUpdateOf<'title.stats'>`. */
export type LiveUpdateOf<T extends LiveUpdateType> = Extract<LiveUpdateData, { type: T }>;

export const UpdateMessage = Type.Object({
  type: Type.Literal('update'),
  channel: LiveChannel,
  position: PositionToken,
  data: LiveUpdateData,
});
export type UpdateMessage = Static<typeof UpdateMessage>;

/**
 * `since` is older than the backfill log keeps (or the gap is larger than one backfill sends):
 * some updates cannot be replayed, so refetch these channels' data over HTTP.
 */
export const RefetchMessage = Type.Object({
  type: Type.Literal('refetch'),
  channels: Type.Array(LiveChannel),
  reason: Type.Enum(['since_expired', 'backfill_too_large']),
});
export type RefetchMessage = Static<typeof RefetchMessage>;

export const LiveErrorCode = Type.Enum(['bad_request', 'forbidden', 'invalid_token', 'slow_consumer', 'unavailable']);
export type LiveErrorCode = Static<typeof LiveErrorCode>;

/** The socket stays open after every error but `slow_consumer`. */
export const LiveErrorMessage = Type.Object({
  type: Type.Literal('error'),
  code: LiveErrorCode,
  message: Type.String(),
  channels: Type.Optional(Type.Array(Type.String())),
});
export type LiveErrorMessage = Static<typeof LiveErrorMessage>;

export const LiveServerMessage = Type.Union([
  AuthenticatedMessage,
  SubscribedMessage,
  UnsubscribedMessage,
  UpdateMessage,
  RefetchMessage,
  LiveErrorMessage,
]);
export type LiveServerMessage = Static<typeof LiveServerMessage>;
