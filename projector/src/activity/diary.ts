import { channels, type At, type Notices } from '../model/notices.ts';
import { addToFeed } from './feed.ts';
import type { DiaryRow } from './rows.ts';
import { changeStats } from './stats.ts';
import { isErased, type ActivityState, type EventOf } from './state.ts';

export function titleWatched(state: ActivityState, event: EventOf<'TitleWatched'>, notices: Notices): void {
  const { entryId, userId, titleId, watchedOn, rewatch } = event.data;
  if (isErased(state, userId) || state.diary.get(entryId) !== undefined) return;
  state.diary.put({
    entry_id: entryId,
    user_id: userId,
    title_id: titleId,
    watched_on: watchedOn,
    rewatch,
    logged_at: event.occurredAt,
    position: event.position,
  });
  changeStats(state, notices, event, titleId, { watches: 1, activity: true });
  addToFeed(state, notices, event, { kind: 'watched', userId, titleId, listId: null, entryId, data: { watchedOn, rewatch } });
  notices.note(event, channels.me(userId), () => ({ type: 'diary.added', entry: { entryId, titleId, watchedOn, rewatch } }));
}

export function diaryEntryRemoved(state: ActivityState, event: EventOf<'DiaryEntryRemoved'>, notices: Notices): void {
  const entry = state.diary.get(event.data.entryId);
  // The entry id names the row; a mismatched user would be someone else's entry.
  if (entry === undefined || entry.user_id !== event.data.userId) return;
  removeEntry(state, event, notices, entry);
}

export function removeEntry(state: ActivityState, at: At, notices: Notices, entry: DiaryRow): void {
  state.diary.delete(entry.entry_id);
  changeStats(state, notices, at, entry.title_id, { watches: -1 });
  state.feed.removeEntry(entry.entry_id);
  notices.note(at, channels.me(entry.user_id), () => ({ type: 'diary.removed', entryId: entry.entry_id, titleId: entry.title_id }));
}
