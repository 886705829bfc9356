import { channels, type Notices } from '../model/notices.ts';
import { removeEntry } from './diary.ts';
import { deleteList } from './lists.ts';
import { removeRating } from './ratings.ts';
import type { ActivityState, EventOf } from './state.ts';

export function userRegistered(state: ActivityState, event: EventOf<'UserRegistered'>): void {
  const { userId, displayName } = event.data;
  const existing = state.users.get(userId);
  if (existing?.erased_at != null) return;
  state.users.put({
    user_id: userId,
    display_name: displayName,
    registered_at: existing?.registered_at ?? event.occurredAt,
    erased_at: null,
    position: event.position,
  });
}

/** Removes every public and private trace of the user; counters fall accordingly. */
export function userErased(state: ActivityState, event: EventOf<'UserErased'>, notices: Notices): void {
  const { userId } = event.data;
  for (const rating of state.ratings.inGroup(userId)) removeRating(state, event, notices, rating);
  for (const list of state.lists.inGroup(userId)) deleteList(state, event, notices, list);
  for (const entry of state.diary.inGroup(userId)) removeEntry(state, event, notices, entry);
  if (state.preferences.get(userId) !== undefined) state.preferences.delete(userId);
  state.feed.removeUser(userId);
  const existing = state.users.get(userId);
  state.users.put({
    user_id: userId,
    display_name: null,
    registered_at: existing?.registered_at ?? null,
    erased_at: event.occurredAt,
    position: event.position,
  });
  notices.note(event, channels.me(userId), () => ({ type: 'user.erased' }));
}
