import { IsoDate } from '@reeltime/schemas';
import { Compile } from 'typebox/compile';
import { CommandRefused, unreachable } from '@reeltime/decider';
import type { DiaryCommand, ImportWatches, LogWatch, RemoveDiaryEntry } from './commands.ts';
import { diaryEntries, type DiaryEntry, type DiaryEvent, type DiaryState } from './state.ts';

/** Motion pictures begin in the late 1870s (Muybridge, 1878): an earlier date is a typo. */
export const EARLIEST_WATCH_DATE = '1870-01-01';

// Same check as the event schema: real calendar days only, so 2023-02-29 never gets stored.
const isCalendarDay = Compile(IsoDate);

export function decideDiary(command: DiaryCommand, state: DiaryState): DiaryEvent[] {
  if (command.actorId !== command.userId) {
    throw new CommandRefused('forbidden', 'Only the user themself can change their diary', 403);
  }
  const entries = diaryEntries(state);
  switch (command.type) {
    case 'LogWatch':
      return logWatch(command, entries);
    case 'RemoveDiaryEntry':
      return removeEntry(command, entries);
    case 'ImportWatches':
      return importWatches(command, entries);
    default:
      return unreachable(command);
  }
}

/** Whether `day` may be a watch date when today is `today` (an import checks its rows with it first). */
export function isWatchDate(day: string, today: string): boolean {
  return isCalendarDay.Check(day) && day >= EARLIEST_WATCH_DATE && day <= today;
}

type Entries = Map<LogWatch['entryId'], DiaryEntry>;

function logWatch(command: LogWatch, entries: Entries): DiaryEvent[] {
  const { entryId, userId, titleId, today } = command;
  const existing = entries.get(entryId);
  if (existing !== undefined) {
    // Same id and title: a retried request that already succeeded. Another title: a client bug
    // that must not be answered with success.
    if (existing.titleId === titleId) return [];
    throw new CommandRefused('entry_id_taken', 'This diary entry id is already used for another title');
  }
  // A bad `today` is the handler's bug, not the user's: fail loudly instead of refusing.
  if (!isCalendarDay.Check(today)) throw new TypeError(`LogWatch.today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  const watchedOn = command.watchedOn ?? today;
  // ISO calendar days compare correctly as strings.
  if (!isCalendarDay.Check(watchedOn) || watchedOn < EARLIEST_WATCH_DATE || watchedOn > today) {
    throw new CommandRefused('invalid_watch_date', `watchedOn must be a day from ${EARLIEST_WATCH_DATE} to ${today}`);
  }
  const rewatch = command.rewatch ?? [...entries.values()].some((entry) => !entry.removed && entry.titleId === titleId);
  return [{ type: 'TitleWatched', data: { entryId, userId, titleId, watchedOn, rewatch } }];
}

function importWatches(command: ImportWatches, entries: Entries): DiaryEvent[] {
  const { userId, today } = command;
  if (!isCalendarDay.Check(today)) throw new TypeError(`ImportWatches.today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  /** Entries of a title on a day (`titleId|watchedOn`), removed ones left out. */
  const watchedDays = new Map<string, number>();
  const watchedTitles = new Set<string>();
  for (const entry of entries.values()) {
    if (entry.removed) continue;
    const day = `${entry.titleId}|${entry.watchedOn}`;
    watchedDays.set(day, (watchedDays.get(day) ?? 0) + 1);
    watchedTitles.add(entry.titleId);
  }
  const events: DiaryEvent[] = [];
  for (const watch of command.watches) {
    const { entryId, titleId, watchedOn } = watch;
    const existing = entries.get(entryId);
    if (existing !== undefined) {
      if (existing.titleId === titleId) continue;
      throw new CommandRefused('entry_id_taken', 'This diary entry id is already used for another title');
    }
    if (!isWatchDate(watchedOn, today)) {
      throw new CommandRefused('invalid_watch_date', `watchedOn must be a day from ${EARLIEST_WATCH_DATE} to ${today}`);
    }
    const day = `${titleId}|${watchedOn}`;
    const onThatDay = watchedDays.get(day) ?? 0;
    if (onThatDay >= (watch.ofTheDay ?? 1) || (watch.onlyIfUnwatched && watchedTitles.has(titleId))) continue;
    const rewatch = watch.rewatch ?? watchedTitles.has(titleId);
    events.push({ type: 'TitleWatched', data: { entryId, userId, titleId, watchedOn, rewatch } });
    entries.set(entryId, { titleId, watchedOn, rewatch, removed: false });
    watchedDays.set(day, onThatDay + 1);
    watchedTitles.add(titleId);
  }
  return events;
}

function removeEntry(command: RemoveDiaryEntry, entries: Entries): DiaryEvent[] {
  const entry = entries.get(command.entryId);
  if (entry === undefined || entry.removed) throw new CommandRefused('entry_not_found', 'No such diary entry', 404);
  return [{ type: 'DiaryEntryRemoved', data: { entryId: command.entryId, userId: command.userId } }];
}
