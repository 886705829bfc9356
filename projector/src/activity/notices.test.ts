import { ListChangedUpdate, LiveFeedEntry, LiveUpdateData, type LiveUpdateType } from '@reeltime/schemas';
import type { RecordedEvent } from '@reeltime/eventstore';
import { beforeAll, describe, expect, it } from 'vitest';
import { Notices, type Notice } from '../model/notices.ts';
import { applyImports, type ImportsState } from '../imports/projection.ts';
import { Table } from '../model/table.ts';
import { recommendationsProjection } from '../recommendations/projection.ts';
import { projectorSettings } from '../settings.ts';
import { recorded, titleImported, uuid } from '../testing/events.ts';
import { expectLiveUpdate, schemaConsts } from './contract.testing.ts';
import { given, when } from './given.testing.ts';

const ada = uuid();
const bob = uuid();
const matrix = 'movie:603';
const dune = 'movie:438631';
const lost = 'tv:4607';

/** Every kind of activity the projector announces, including an erasure at the end. */
function everything() {
  const listId = uuid();
  const hidden = uuid();
  const entryId = uuid();
  const other = uuid();
  return [
    recorded('UserRegistered', { userId: ada, displayName: 'Ada' }),
    recorded('UserRegistered', { userId: bob, displayName: 'Bob' }),
    recorded('TitleRated', { userId: ada, titleId: matrix, score: 9, review: 'Whoa.', containsSpoilers: false }),
    recorded('TitleRated', { userId: bob, titleId: matrix, score: 4, containsSpoilers: true }),
    recorded('TitleUnrated', { userId: bob, titleId: matrix }),
    recorded('ListCreated', { listId, ownerId: ada, name: 'Faves', description: '', visibility: 'public', kind: 'custom' }, { version: 1 }),
    recorded('ListRenamed', { listId, name: 'Favourites' }, { version: 2 }),
    recorded('ListDescriptionChanged', { listId, description: 'The best' }, { version: 3 }),
    recorded('ListItemAdded', { listId, titleId: matrix, note: 'first' }, { version: 4 }),
    recorded('ListItemAdded', { listId, titleId: dune }, { version: 5 }),
    recorded('ListItemAdded', { listId, titleId: lost }, { version: 6 }),
    recorded('ListItemsReordered', { listId, titleIds: [dune, matrix, lost] }, { version: 7 }),
    recorded('ListItemRemoved', { listId, titleId: lost }, { version: 8 }),
    recorded(
      'ListCreated',
      { listId: hidden, ownerId: bob, name: 'Secret', description: '', visibility: 'private', kind: 'watchlist' },
      { version: 1 },
    ),
    recorded('ListItemAdded', { listId: hidden, titleId: dune }, { version: 2 }),
    recorded('ListVisibilityChanged', { listId: hidden, visibility: 'public' }, { version: 3 }),
    recorded('ListVisibilityChanged', { listId: hidden, visibility: 'private' }, { version: 4 }),
    recorded('ListDeleted', { listId: hidden }, { version: 5 }),
    recorded('TitleWatched', { entryId, userId: ada, titleId: dune, watchedOn: '2024-02-29', rewatch: false }),
    recorded('TitleWatched', { entryId: other, userId: bob, titleId: dune, watchedOn: '2024-03-01', rewatch: true }),
    recorded('DiaryEntryRemoved', { entryId: other, userId: bob }),
    recorded('GenreLiked', { userId: ada, genreId: 878 }),
    recorded('GenreDisliked', { userId: ada, genreId: 27 }),
    recorded('PersonLiked', { userId: ada, personId: 6384 }),
    recorded('LanguagePreferred', { userId: ada, language: 'ja' }),
    recorded('MediaTypePreferred', { userId: ada, mediaType: 'tv' }),
    recorded('UserErased', { userId: ada }),
  ];
}

/** The scenario's titles, for the recommendations projection to have a catalog to recommend from. */
function catalog() {
  return [
    recorded('TitleImported', titleImported(603, 'The Matrix', { genreIds: [878] })),
    recorded('TitleImported', titleImported(438631, 'Dune', { genreIds: [878] })),
    recorded('TitleImported', { ...titleImported(4607, 'Lost', { genreIds: [18] }), titleId: lost, mediaType: 'tv' }),
  ];
}

/**
 * The notices of the real recommendations projection, driven as the runner drives a caught-up
 * resident projection: each event in a batch of its own, upkeep (fit, sweep) run until it owes
 * nothing before the next one.
 */
async function recommendationNotices(events: readonly RecordedEvent[]): Promise<Notice[]> {
  const workingSet = recommendationsProjection.workingSet!({ settings: projectorSettings({}) });
  const notices: Notice[] = [];
  const upkeep = async () => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const step = await workingSet.upkeep!();
      if (step !== undefined) notices.push(...step.notices);
      else if (!workingSet.pending!()) return;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the recommendations upkeep never settled');
  };
  await upkeep();
  for (const event of events) {
    const state = await workingSet.load([event]);
    const collector = new Notices();
    recommendationsProjection.apply(state, event, collector);
    workingSet.commit(state);
    notices.push(...collector.list());
    await upkeep();
  }
  return notices;
}

/** Which updates each channel kind carries (query-api/README.md, "Live updates"). */
const CHANNEL_TYPES: Record<string, LiveUpdateType[]> = {
  feed: ['feed.added'],
  title: ['title.stats'],
  list: ['list.changed', 'list.deleted'],
  me: [
    'diary.added',
    'diary.removed',
    'list.changed',
    'list.deleted',
    'preferences.changed',
    'rating.changed',
    'recommendations.changed',
    'user.erased',
    'import.progress',
  ],
};

/** The imports projection's notices for one import's life. */
function importNotices(): Notice[] {
  const [importId, userId] = [uuid(), uuid()];
  const state: ImportsState = {
    imports: new Table(
      'imports',
      (row) => row.import_id,
      (row) => row.user_id,
    ),
  };
  state.imports.seedMissing([importId]);
  const noted = new Notices();
  const counters = { importId, userId, matched: 1, imported: 1, alreadyPresent: 0, unmatchedCount: 1 };
  for (const e of [
    recorded('ImportStarted', { importId, userId, source: 'trakt', fileName: 'export.zip', rows: 2 }),
    recorded('ImportProgressed', {
      ...counters,
      unmatched: [{ file: 'ratings-movies.json', line: 2, text: 'Lost (1931)', reason: 'no title with this name and year in the catalog' }],
    }),
    recorded('ImportCompleted', counters),
  ]) {
    applyImports(state, e, noted);
  }
  return noted.list();
}

describe('live notices against the WebSocket contract (LiveUpdateData)', () => {
  const events = everything();
  // The activity projection's notices, then the recommendations projection's (over the same events).
  const notices = when(given({}, events), events);
  beforeAll(async () => {
    notices.push(...(await recommendationNotices([...catalog(), ...events])));
    notices.push(...importNotices());
  });

  it('every notice is a valid update with exactly the fields the schema names', () => {
    expect(notices.length).toBeGreaterThan(40);
    for (const notice of notices) expectLiveUpdate(notice.data);
  });

  it('the scenario covers every update type, feed kind and list change of the schema', () => {
    const data = notices.map((n) => n.data);
    expect([...new Set(data.map((d) => d.type))].sort()).toEqual(schemaConsts(LiveUpdateData, 'type'));
    expect([...new Set(data.flatMap((d) => (d.type === 'feed.added' ? [d.entry.kind] : [])))].sort()).toEqual(
      schemaConsts(LiveFeedEntry, 'kind'),
    );
    expect([...new Set(data.flatMap((d) => (d.type === 'list.changed' ? [d.change] : [])))].sort()).toEqual(
      schemaConsts(ListChangedUpdate, 'change'),
    );
  });

  it('each channel carries only its own update types', () => {
    for (const notice of notices) {
      const kind = notice.channel.split('.')[0]!;
      expect(CHANNEL_TYPES[kind], `${notice.channel} ${notice.data.type}`).toContain(notice.data.type);
    }
  });

  it('rejects a notice that drifts from the schema (the check above can fail)', () => {
    const rated = notices.find((n) => n.data.type === 'rating.changed')!.data;
    expect(() => expectLiveUpdate({ ...rated, extra: 1 })).toThrow(/fields outside the schema: \/extra/);
    const feed = notices.find((n) => n.data.type === 'feed.added')!.data as { entry: { data: object } };
    expect(() => expectLiveUpdate({ ...feed, entry: { ...feed.entry, data: { ...feed.entry.data, leaked: 'x' } } })).toThrow(
      /\/entry\/data\/leaked/,
    );
    expect(() => expectLiveUpdate({ ...rated, titleId: 603 })).toThrow(/not a LiveUpdateData/);
    expect(() => expectLiveUpdate({ type: 'title.changed' })).toThrow(/unknown type/);
  });
});
