import { Type, type Static } from 'typebox';
import { StrictObject } from '../strict.ts';
import { PositionToken } from './queries.ts';

// Messages of the WebSocket `GET /live` (api.md "Live updates").

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

/** `position`: every update after it on these channels is (or was, with `since`) sent to you. */
export const SubscribedMessage = Type.Object({
  type: Type.Literal('subscribed'),
  channels: Type.Array(LiveChannel),
  position: PositionToken,
});
export type SubscribedMessage = Static<typeof SubscribedMessage>;

export const UnsubscribedMessage = Type.Object({ type: Type.Literal('unsubscribed'), channels: Type.Array(LiveChannel) });

export const UpdateMessage = Type.Object({
  type: Type.Literal('update'),
  channel: LiveChannel,
  position: PositionToken,
  data: Type.Object({ type: Type.String({ description: 'feed.added, title.stats, list.changed, list.deleted, rating.changed, diary.added, diary.removed, preferences.changed, user.erased' }) }, { additionalProperties: true }),
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

export const LiveServerMessage = Type.Union([AuthenticatedMessage, SubscribedMessage, UnsubscribedMessage, UpdateMessage, RefetchMessage, LiveErrorMessage]);
export type LiveServerMessage = Static<typeof LiveServerMessage>;
