import { channels, type At, type Notices } from '../model/notices.ts';
import { addToFeed } from './feed.ts';
import type { RatingRow } from './rows.ts';
import { changeStats } from './stats.ts';
import { isErased, pairKey, type ActivityState, type EventOf } from './state.ts';

export function titleRated(state: ActivityState, event: EventOf<'TitleRated'>, notices: Notices): void {
  const { userId, titleId, score, review, containsSpoilers } = event.data;
  if (isErased(state, userId)) return;
  const key = pairKey(userId, titleId);
  const before = state.ratings.get(key);
  state.ratings.put({
    user_id: userId,
    title_id: titleId,
    score,
    review: review ?? null,
    contains_spoilers: containsSpoilers,
    rated_at: before?.rated_at ?? event.occurredAt,
    updated_at: event.occurredAt,
    position: event.position,
  });
  changeStats(state, notices, event, titleId, {
    ratings: before === undefined ? 1 : 0,
    ratingSum: score - (before?.score ?? 0),
    activity: true,
  });
  // A re-rate replaces the earlier feed entry rather than adding a second one.
  if (before !== undefined) state.feed.removeRating(userId, titleId);
  const data = { score, containsSpoilers, ...(review === undefined ? {} : { review }) };
  addToFeed(state, notices, event, { kind: 'rated', userId, titleId, listId: null, entryId: null, data });
  notices.note(event, channels.me(userId), () => ({
    type: 'rating.changed',
    titleId,
    rating: { score, review: review ?? null, containsSpoilers },
  }));
}

export function titleUnrated(state: ActivityState, event: EventOf<'TitleUnrated'>, notices: Notices): void {
  const before = state.ratings.get(pairKey(event.data.userId, event.data.titleId));
  if (before === undefined) return;
  removeRating(state, event, notices, before);
}

export function removeRating(state: ActivityState, at: At, notices: Notices, rating: RatingRow): void {
  state.ratings.delete(pairKey(rating.user_id, rating.title_id));
  changeStats(state, notices, at, rating.title_id, { ratings: -1, ratingSum: -rating.score });
  state.feed.removeRating(rating.user_id, rating.title_id);
  notices.note(at, channels.me(rating.user_id), () => ({ type: 'rating.changed', titleId: rating.title_id, rating: null }));
}
