import type { LiveFeedEntry } from '@reeltime/schemas';
import { channels, type At, type Notices } from '../model/notices.ts';
import type { FeedRow } from './rows.ts';
import type { ActivityState } from './state.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An entry as the live notice has it (by `kind`), less what the event gives. */
export type NewFeedEntry = DistributiveOmit<LiveFeedEntry, 'position' | 'occurredAt'>;

/** One public feed entry per event, announced on the `feed` channel. */
export function addToFeed(state: ActivityState, notices: Notices, at: At, entry: NewFeedEntry): void {
  const row: FeedRow = {
    position: at.position,
    kind: entry.kind,
    user_id: entry.userId,
    title_id: entry.titleId,
    list_id: entry.listId,
    entry_id: entry.entryId,
    data: entry.data,
    occurred_at: at.occurredAt,
  };
  state.feed.add(row);
  notices.note(at, channels.feed, () => ({ type: 'feed.added', entry: { position: at.position, ...entry, occurredAt: at.occurredAt } }));
}
