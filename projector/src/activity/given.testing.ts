import type { RecordedEvent } from '@reeltime/eventstore';
import { Notices, type Notice } from '../model/notices.ts';
import { keysOf } from './load.ts';
import { applyActivity } from './projection.ts';
import type { DiaryRow, ItemRow, ListRow, PreferencesRow, RatingRow, StatsRow, UserRow } from './rows.ts';
import { emptyActivityState, type ActivityState } from './state.ts';

export type GivenRows = {
  users?: UserRow[];
  stats?: StatsRow[];
  ratings?: RatingRow[];
  lists?: ListRow[];
  items?: ItemRow[];
  diary?: DiaryRow[];
  preferences?: PreferencesRow[];
};

/** The state the loader would produce for `events` over a database holding `rows`. */
export function given(rows: GivenRows, events: readonly RecordedEvent[]): ActivityState {
  const state = emptyActivityState();
  state.users.seedRows(rows.users ?? []);
  state.stats.seedRows(rows.stats ?? []);
  state.ratings.seedRows(rows.ratings ?? []);
  state.lists.seedRows(rows.lists ?? []);
  state.items.seedRows(rows.items ?? []);
  state.diary.seedRows(rows.diary ?? []);
  state.preferences.seedRows(rows.preferences ?? []);
  const keys = keysOf(events);
  state.users.seedMissing(keys.users);
  state.ratings.seedMissing(keys.ratings.keys());
  state.lists.seedMissing(keys.lists);
  state.items.seedMissing(keys.items.keys());
  state.diary.seedMissing(keys.entries);
  state.preferences.seedMissing(keys.preferences);
  const titles = new Set(keys.titles);
  for (const row of [...(rows.ratings ?? []), ...(rows.items ?? []), ...(rows.diary ?? [])]) titles.add(row.title_id);
  state.stats.seedMissing(titles);
  return state;
}

export function when(state: ActivityState, events: readonly RecordedEvent[]): Notice[] {
  const notices = new Notices();
  for (const event of events) applyActivity(state, event, notices);
  return notices.list();
}
