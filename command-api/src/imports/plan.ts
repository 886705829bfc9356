import type { ImportSource, ListItemNote, Review } from '@reeltime/schemas';
import { isWatchDate, type ImportedWatch } from '../diary/index.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import type { Matched } from './match.ts';
import type { ImportedList, ImportedPreferences, ImportRow } from './rows.ts';

// From matched rows to what the deciders are asked, pure. Every id is derived from the user and
// the row's own identity in its source, so a re-import asks for the very same entries and lists.

export type RowRef = { row: number };
export type PlannedRating = { titleId: string; score?: number; review?: Review; containsSpoilers?: boolean; rows: number[] };
export type PlannedWatch = { watch: ImportedWatch; row: number };
export type PlannedItem = { titleId: string; note?: ListItemNote; row: number };
/**
 * `row`: the list's own row (Reeltime's export), settled by its creation. `copyId`: when
 * `listId` is the list's own id (back into its own account), the id to use instead if that
 * list is gone (deleted since the export).
 */
export type PlannedList = { listId: string; list: ImportedList; items: PlannedItem[]; row?: number; copyId?: string };

export type ImportPlan = {
  /** Per row: why it will not be imported, or undefined when it has effects below. */
  unmatched: (string | undefined)[];
  ratings: PlannedRating[];
  watches: PlannedWatch[];
  watchlist: PlannedItem[];
  lists: PlannedList[];
  /** The account's preferences (Reeltime's export), decided like `PUT /preferences`. */
  preferences?: { preferences: ImportedPreferences; row: number };
};

export type PlanContext = { userId: string; source: ImportSource; today: string };

export const importedListId = (userId: string, source: ImportSource, listKey: string) =>
  deterministicUuid('import-list', userId, source, listKey);
export const importedEntryId = (userId: string, source: ImportSource, rowKey: string) =>
  deterministicUuid('import-diary', userId, source, rowKey);

export function planImport(rows: readonly ImportRow[], matches: readonly Matched[], context: PlanContext): ImportPlan {
  const { userId, source, today } = context;
  const unmatched = matches.map((match) => ('reason' in match ? match.reason : undefined));
  const explicit = new Map<string, PlannedRating>();
  const fromDiary = new Map<string, { score: number; watchedOn: string; row: number }>();
  const reviews = new Map<string, { review: Review; row: number }>();
  const watches: PlannedWatch[] = [];
  const watchlist: PlannedItem[] = [];
  const lists = new Map<string, PlannedList>();
  let preferences: ImportPlan['preferences'];
  const listOf = (imported: ImportedList): PlannedList => {
    // Back into the account it came from, a list is itself again, not a copy beside it.
    const own = imported.own;
    const copyId = importedListId(userId, source, imported.key);
    const listId = own !== undefined && own.ownerId === userId ? own.listId : copyId;
    const list: PlannedList = lists.get(listId) ?? { listId, list: imported, items: [] };
    if (listId !== copyId) list.copyId = copyId;
    lists.set(listId, list);
    return list;
  };

  rows.forEach((row, index) => {
    const match = matches[index]!;
    if (row.action.kind === 'preferences' || row.action.kind === 'listHead') {
      // These name no title: whatever matching said about them does not apply.
      unmatched[index] = row.problem;
      if (row.problem !== undefined) return;
      if (row.action.kind === 'preferences') preferences = { preferences: row.action.preferences, row: index };
      else listOf(row.action.list).row = index;
      return;
    }
    if ('reason' in match) return;
    const { titleId } = match;
    const action = row.action;
    switch (action.kind) {
      case 'rating': {
        // The last row of a title wins, as it would in the source's own history.
        const rating: PlannedRating = { titleId, score: action.score, rows: [index] };
        if (action.review !== undefined) Object.assign(rating, { review: action.review, containsSpoilers: action.containsSpoilers });
        const previous = explicit.get(titleId);
        if (previous !== undefined) rating.rows.unshift(...previous.rows);
        if (previous?.review !== undefined && rating.review === undefined)
          Object.assign(rating, { review: previous.review, containsSpoilers: previous.containsSpoilers });
        explicit.set(titleId, rating);
        return;
      }
      case 'review':
        reviews.set(titleId, { review: action.review, row: index });
        return;
      case 'watch':
      case 'watched': {
        if (!isWatchDate(action.watchedOn, today)) {
          unmatched[index] = `watch date ${action.watchedOn} is before 1870 or in the future`;
          return;
        }
        const watch: ImportedWatch = { entryId: importedEntryId(userId, source, row.key), titleId, watchedOn: action.watchedOn };
        if (action.kind === 'watched') Object.assign(watch, { rewatch: false, onlyIfUnwatched: true });
        else if (source === 'letterboxd' || source === 'reeltime') watch.rewatch = action.rewatch;
        watches.push({ watch, row: index });
        if (action.kind === 'watch' && action.score !== undefined) {
          const latest = fromDiary.get(titleId);
          if (latest === undefined || latest.watchedOn <= action.watchedOn)
            fromDiary.set(titleId, { score: action.score, watchedOn: action.watchedOn, row: index });
        }
        return;
      }
      case 'watchlist':
        watchlist.push(item(titleId, action.note, index));
        return;
      case 'list': {
        const list = listOf(action.list);
        list.items.push({ ...item(titleId, action.note, index), position: action.position } as PlannedItem);
        return;
      }
    }
  });

  // A diary's rating counts when the export has no rating row for the title (ratings.csv is the current one).
  const ratings = new Map(explicit);
  for (const [titleId, { score, row }] of fromDiary) {
    const rating = ratings.get(titleId);
    if (rating === undefined) ratings.set(titleId, { titleId, score, rows: [row] });
  }
  for (const [titleId, { review, row }] of reviews) {
    const rating = ratings.get(titleId) ?? { titleId, rows: [] };
    ratings.set(titleId, { ...rating, review, rows: [...rating.rows, row] });
  }
  // Two watches of a title on one day are two watches: each asks for the day's full count.
  const ofTheDay = new Map<string, number>();
  const dayOf = ({ watch }: PlannedWatch) => `${watch.titleId}|${watch.watchedOn}`;
  const realWatches = watches.filter(({ watch }) => watch.onlyIfUnwatched !== true);
  for (const planned of realWatches) ofTheDay.set(dayOf(planned), (ofTheDay.get(dayOf(planned)) ?? 0) + 1);
  for (const planned of realWatches) {
    const count = ofTheDay.get(dayOf(planned))!;
    if (count > 1) planned.watch.ofTheDay = count;
  }
  for (const list of lists.values()) {
    list.items.sort((a, b) => (a as PlannedItem & { position: number }).position - (b as PlannedItem & { position: number }).position);
    for (const planned of list.items) delete (planned as Partial<{ position: number }>).position;
  }
  const plan: ImportPlan = { unmatched, ratings: [...ratings.values()], watches, watchlist, lists: [...lists.values()] };
  if (preferences !== undefined) plan.preferences = preferences;
  return plan;
}

function item(titleId: string, note: string | undefined, row: number): PlannedItem {
  return note === undefined ? { titleId, row } : { titleId, note, row };
}
