import { diaryStream, listStream, preferencesStream, ratingStream, type TitleId } from '@reeltime/schemas';
import { diaryDecider } from '../diary/index.ts';
import { listDecider, type ListCommand } from '../lists/index.ts';
import { preferencesDecider, type SetPreferences } from '../preferences/index.ts';
import { ratingDecider } from '../ratings/index.ts';
import { decideAcross, decideMany, type DecideManyContext, type Decided } from './decide-many.ts';
import type { ImportPlan, PlannedItem, PlannedList } from './plan.ts';
import type { ImportProgress, RowOutcome } from './progress.ts';

export type ApplyContext = DecideManyContext & {
  userId: string;
  today: string;
  /** The user's watchlist (undefined: not found, its rows are reported). */
  watchlistId: string | undefined;
  /** Called after each step, with the progress so far. */
  onStep(): Promise<void>;
};

/** Ratings read in one query and appended in one statement (PostgreSQL store); a batch's transaction holds back readers of the log, so not all at once. */
const RATINGS_PER_BATCH = 1000;
const WATCHES_PER_APPEND = 2500;

const outcomeOf = (decided: Decided<unknown>): RowOutcome =>
  'refused' in decided ? { reason: decided.refused.message } : decided.events.length > 0 ? 'imported' : 'present';

/**
 * Runs an import's plan through the deciders: ratings (one stream per title, in batches),
 * the diary in large batches, the watchlist, each list with its items in order, then the
 * preferences.
 */
export async function applyPlan(plan: ImportPlan, progress: ImportProgress, context: ApplyContext): Promise<void> {
  const { userId, today } = context;
  for (const rating of plan.ratings) for (const row of rating.rows) progress.expect(row);
  for (const { row } of plan.watches) progress.expect(row);
  for (const { row } of plan.watchlist) progress.expect(row);
  for (const list of plan.lists) for (const { row } of list.items) progress.expect(row);
  for (const list of plan.lists) if (list.row !== undefined) progress.expect(list.row);
  if (plan.preferences !== undefined) progress.expect(plan.preferences.row);

  for (let start = 0; start < plan.ratings.length; start += RATINGS_PER_BATCH) {
    const batch = plan.ratings.slice(start, start + RATINGS_PER_BATCH);
    const work = batch.map((rating) => ({
      stream: ratingStream(userId, rating.titleId as TitleId),
      commands: [
        {
          type: 'ImportRating' as const,
          actorId: userId,
          userId,
          titleId: rating.titleId as TitleId,
          score: rating.score,
          review: rating.review,
          containsSpoilers: rating.containsSpoilers,
        },
      ],
    }));
    const decided = await decideAcross(context, ratingDecider, work);
    batch.forEach((rating, index) => {
      for (const row of rating.rows) progress.settle(row, outcomeOf(decided[index]![0]!));
    });
    await context.onStep();
  }

  for (let start = 0; start < plan.watches.length; start += WATCHES_PER_APPEND) {
    const batch = plan.watches.slice(start, start + WATCHES_PER_APPEND);
    const decided = (
      await decideMany(context, diaryDecider, diaryStream(userId), [
        { type: 'ImportWatches', actorId: userId, userId, today, watches: batch.map(({ watch }) => watch) },
      ])
    )[0]!;
    if ('refused' in decided) {
      for (const { row } of batch) progress.settle(row, { reason: decided.refused.message });
    } else {
      const added = new Set(decided.events.map((event) => (event.type === 'TitleWatched' ? event.data.entryId : '')));
      for (const { watch, row } of batch) progress.settle(row, added.has(watch.entryId) ? 'imported' : 'present');
    }
    await context.onStep();
  }

  if (plan.watchlist.length > 0) {
    if (context.watchlistId === undefined) {
      for (const { row } of plan.watchlist) progress.settle(row, { reason: 'your watchlist was not found' });
    } else {
      await addToWatchlist(context, progress, context.watchlistId, plan.watchlist);
    }
    await context.onStep();
  }

  for (const list of plan.lists) {
    await importList(context, progress, list);
    await context.onStep();
  }

  if (plan.preferences !== undefined) {
    const { preferences, row } = plan.preferences;
    // Like `PUT /preferences`, each section replaces the account's; an empty one in the export
    // says nothing was chosen there, so it leaves the account's choices alone.
    const command: SetPreferences = { type: 'SetPreferences', actorId: userId, userId };
    if (preferences.genres.liked.length + preferences.genres.disliked.length > 0) command.genres = preferences.genres;
    if (preferences.people.liked.length > 0) command.people = preferences.people;
    if (preferences.languages.length > 0) command.languages = preferences.languages;
    if (preferences.mediaTypes.length > 0) command.mediaTypes = preferences.mediaTypes;
    const [decided] = await decideMany(context, preferencesDecider, preferencesStream(userId), [command]);
    progress.settle(row, outcomeOf(decided!));
    await context.onStep();
  }
}

/**
 * A list and its items, in order. A list that exists already (a re-import, or its own account)
 * is already present, and so is an item already in it.
 */
async function importList(context: ApplyContext, progress: ImportProgress, planned: PlannedList): Promise<void> {
  const { userId } = context;
  const { list, items, row, copyId } = planned;
  const attempt = (listId: string) => {
    const create: ListCommand = {
      type: 'CreateList',
      listId,
      actorId: userId,
      ownerId: userId,
      name: list.name.trim() || 'Imported list',
      description: list.description,
      visibility: list.visibility ?? 'private',
    };
    // Changes nothing on a list of the user's; refused when the id is a deleted list (or not theirs).
    const probe: ListCommand = { type: 'UpdateList', listId, actorId: userId };
    return decideMany(context, listDecider, listStream(listId), [create, probe, ...itemCommands(userId, listId, items)]);
  };
  let decided = await attempt(planned.listId);
  // Its own list, deleted since the export: restored as a copy, as another account would get it.
  if (copyId !== undefined && 'refused' in decided[1]!) decided = await attempt(copyId);
  const created = decided[0]!;
  if (row !== undefined) {
    const exists = 'refused' in created && created.refused.code === 'list_exists';
    progress.settle(row, exists ? 'present' : outcomeOf(created));
  }
  settleItems(progress, items, decided.slice(2));
}

/** The watchlist's items, in order. */
async function addToWatchlist(context: ApplyContext, progress: ImportProgress, listId: string, items: PlannedItem[]): Promise<void> {
  settleItems(progress, items, await decideMany(context, listDecider, listStream(listId), itemCommands(context.userId, listId, items)));
}

function itemCommands(userId: string, listId: string, items: PlannedItem[]): ListCommand[] {
  return items.map((item) => ({
    type: 'AddListItem',
    listId,
    actorId: userId,
    titleId: item.titleId as TitleId,
    ...(item.note === undefined ? {} : { note: item.note }),
  }));
}

/** "Already in the list" is already present. */
function settleItems(progress: ImportProgress, items: PlannedItem[], decided: Decided<unknown>[]): void {
  items.forEach((item, index) => {
    const result = decided[index]!;
    const present = 'refused' in result && result.refused.code === 'already_in_list';
    progress.settle(item.row, present ? 'present' : outcomeOf(result));
  });
}
