import { channels, type Notices } from '../model/notices.ts';
import type { FeedRow } from './rows.ts';
import type { ActivityState } from './state.ts';

type At = { position: string; occurredAt: string };
type NewEntry = Pick<FeedRow, 'kind' | 'user_id' | 'data'> & Partial<Pick<FeedRow, 'title_id' | 'list_id' | 'entry_id'>>;

/** One public feed entry per event, announced on the `feed` channel. */
export function addToFeed(state: ActivityState, notices: Notices, at: At, entry: NewEntry): void {
  const row: FeedRow = {
    position: at.position,
    kind: entry.kind,
    user_id: entry.user_id,
    title_id: entry.title_id ?? null,
    list_id: entry.list_id ?? null,
    entry_id: entry.entry_id ?? null,
    data: entry.data,
    occurred_at: at.occurredAt,
  };
  state.feed.add(row);
  notices.note(at, channels.feed, () => ({
    type: 'feed.added',
    entry: {
      position: row.position,
      kind: row.kind,
      userId: row.user_id,
      titleId: row.title_id,
      listId: row.list_id,
      entryId: row.entry_id,
      data: row.data,
      occurredAt: row.occurred_at,
    },
  }));
}
