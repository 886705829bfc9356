import { describe, expect, it } from 'vitest';
import { recorded, uuid } from '../testing/events.ts';
import { given, when } from './given.testing.ts';
import { pairKey } from './state.ts';

const ada = uuid();
const bob = uuid();
const matrix = 'movie:603';
const dune = 'movie:438631';

const rated = (userId: string, titleId: string, score: number, review?: string) =>
  recorded('TitleRated', { userId, titleId, score, containsSpoilers: false, ...(review ? { review } : {}) });

describe('ratings', () => {
  it('given two ratings, a re-rate and an unrate, then the stats count each current rating once', () => {
    const events = [
      rated(ada, matrix, 8),
      rated(bob, matrix, 6),
      rated(ada, matrix, 10),
      recorded('TitleUnrated', { userId: bob, titleId: matrix }),
    ];
    const state = given({}, events);
    const notices = when(state, events);
    expect(state.stats.get(matrix)).toMatchObject({ rating_count: 1, rating_sum: 10, watch_count: 0, list_count: 0 });
    expect(state.ratings.get(pairKey(ada, matrix))).toMatchObject({ score: 10 });
    expect(state.ratings.get(pairKey(bob, matrix))).toBeUndefined();
    // Only ada's latest rating stays in the feed; bob's was removed with his unrate.
    expect(state.feed.inserts.map((row) => [row.user_id, row.data.score])).toEqual([[ada, 10]]);
    expect(state.feed.removedRatings).toEqual(new Set([pairKey(ada, matrix), pairKey(bob, matrix)]));
    const last = notices.filter((n) => n.channel === `title.${matrix}`).at(-1);
    expect(last?.data).toEqual({
      type: 'title.stats',
      titleId: matrix,
      stats: { ratingAverage: 10, ratingCount: 1, watchCount: 0, listCount: 0 },
    });
    expect(notices.filter((n) => n.channel === `me.${bob}`).at(-1)?.data).toEqual({
      type: 'rating.changed',
      titleId: matrix,
      rating: null,
    });
  });

  it('given a stored rating, when it is re-rated, then the sum moves by the difference only', () => {
    const events = [rated(ada, matrix, 4)];
    const state = given(
      {
        ratings: [
          {
            user_id: ada,
            title_id: matrix,
            score: 9,
            review: null,
            contains_spoilers: false,
            rated_at: '2024-01-01T00:00:00Z',
            updated_at: '2024-01-01T00:00:00Z',
            position: 'p',
          },
        ],
        stats: [
          {
            title_id: matrix,
            rating_count: 3,
            rating_sum: 24,
            watch_count: 2,
            list_count: 1,
            trending_score: null,
            last_activity_at: null,
            updated_at: 'x',
            position: 'p',
          },
        ],
      },
      events,
    );
    when(state, events);
    expect(state.stats.get(matrix)).toMatchObject({ rating_count: 3, rating_sum: 19, watch_count: 2, list_count: 1 });
    expect(state.ratings.get(pairKey(ada, matrix))?.rated_at).toBe('2024-01-01T00:00:00Z');
  });

  it('ignores an unrate of a title that was never rated', () => {
    const events = [recorded('TitleUnrated', { userId: ada, titleId: dune })];
    const state = given({}, events);
    expect(when(state, events)).toEqual([]);
    expect(state.stats.changes().upserts).toEqual([]);
  });

  it('ranks the title with more recent activity higher in trending', () => {
    const events = [
      recorded('TitleRated', { userId: ada, titleId: matrix, score: 5, containsSpoilers: false }, { occurredAt: '2025-01-01T00:00:00Z' }),
      recorded('TitleRated', { userId: bob, titleId: matrix, score: 5, containsSpoilers: false }, { occurredAt: '2025-01-02T00:00:00Z' }),
      recorded('TitleRated', { userId: ada, titleId: dune, score: 5, containsSpoilers: false }, { occurredAt: '2025-01-20T00:00:00Z' }),
    ];
    const state = given({}, events);
    when(state, events);
    expect(state.stats.get(dune)!.trending_score!).toBeGreaterThan(state.stats.get(matrix)!.trending_score!);
  });
});

describe('lists', () => {
  const listId = uuid();
  const created = (visibility: 'public' | 'private') =>
    recorded('ListCreated', { listId, ownerId: ada, name: 'Faves', description: '', visibility, kind: 'custom' }, { version: 1 });

  it('given a private list, its changes reach only the list and its owner, never the feed or list counts', () => {
    const events = [created('private'), recorded('ListItemAdded', { listId, titleId: matrix }, { version: 2 })];
    const state = given({}, events);
    const notices = when(state, events);
    expect(new Set(notices.map((n) => n.channel))).toEqual(new Set([`list.${listId}`, `me.${ada}`]));
    expect(state.feed.inserts).toEqual([]);
    expect(state.stats.get(matrix)).toBeUndefined();
    expect(state.lists.get(listId)).toMatchObject({ item_count: 1, version: 2, next_ord: 1 });
  });

  it('when a private list goes public and back, the list counts of its titles follow and its feed entries go', () => {
    const events = [
      created('private'),
      recorded('ListItemAdded', { listId, titleId: matrix }, { version: 2 }),
      recorded('ListItemAdded', { listId, titleId: dune }, { version: 3 }),
      recorded('ListVisibilityChanged', { listId, visibility: 'public' }, { version: 4 }),
    ];
    const state = given({}, events);
    when(state, events);
    expect(state.stats.get(matrix)?.list_count).toBe(1);
    expect(state.stats.get(dune)?.list_count).toBe(1);
    expect(state.feed.inserts.map((row) => row.kind)).toEqual(['list_published']);
    const hide = [recorded('ListVisibilityChanged', { listId, visibility: 'private' }, { version: 5 })];
    when(state, hide);
    expect(state.stats.get(matrix)?.list_count).toBe(0);
    expect(state.feed.inserts).toEqual([]);
    expect(state.feed.removedLists).toEqual(new Set([listId]));
  });

  it('appends items in order, reorders them and, when deleted, drops every item and count', () => {
    const events = [
      created('public'),
      recorded('ListItemAdded', { listId, titleId: matrix, note: 'first' }, { version: 2 }),
      recorded('ListItemAdded', { listId, titleId: dune }, { version: 3 }),
      recorded('ListItemAdded', { listId, titleId: dune }, { version: 4 }),
      recorded('ListItemsReordered', { listId, titleIds: [dune, matrix] }, { version: 5 }),
    ];
    const state = given({}, events);
    when(state, events);
    expect(state.items.get(pairKey(listId, dune))?.ord).toBe(0);
    expect(state.items.get(pairKey(listId, matrix))).toMatchObject({ ord: 1, note: 'first' });
    expect(state.lists.get(listId)).toMatchObject({ item_count: 2, version: 5 });
    expect(state.stats.get(dune)?.list_count).toBe(1);
    const deletion = [recorded('ListDeleted', { listId }, { version: 6 })];
    const notices = when(state, deletion);
    expect(state.lists.get(listId)).toBeUndefined();
    expect([...state.items.where(() => true)]).toEqual([]);
    expect(state.stats.get(matrix)?.list_count).toBe(0);
    expect(notices.find((n) => n.channel === `list.${listId}`)?.data).toEqual({ type: 'list.deleted', listId, version: 6 });
  });

  it('ignores item events of a list it does not know (deleted or erased)', () => {
    const events = [recorded('ListItemAdded', { listId: uuid(), titleId: matrix })];
    const state = given({}, events);
    expect(when(state, events)).toEqual([]);
  });
});

describe('diary, preferences and erasure', () => {
  it('counts watches including rewatches and un-counts a removed entry', () => {
    const first = uuid();
    const second = uuid();
    const events = [
      recorded('TitleWatched', { entryId: first, userId: ada, titleId: matrix, watchedOn: '2024-02-29', rewatch: false }),
      recorded('TitleWatched', { entryId: second, userId: ada, titleId: matrix, watchedOn: '2024-03-01', rewatch: true }),
      recorded('DiaryEntryRemoved', { entryId: first, userId: ada }),
    ];
    const state = given({}, events);
    when(state, events);
    expect(state.stats.get(matrix)?.watch_count).toBe(1);
    expect(state.feed.inserts.map((row) => row.entry_id)).toEqual([second]);
  });

  it('keeps preferences as sets in the order added', () => {
    const events = [
      recorded('GenreLiked', { userId: ada, genreId: 878 }),
      recorded('GenreLiked', { userId: ada, genreId: 18 }),
      recorded('GenreLiked', { userId: ada, genreId: 878 }),
      recorded('LanguagePreferred', { userId: ada, language: 'ja' }),
      recorded('GenreUnliked', { userId: ada, genreId: 18 }),
    ];
    const state = given({}, events);
    const notices = when(state, events);
    expect(state.preferences.get(ada)).toMatchObject({ liked_genres: [878], languages: ['ja'], disliked_genres: [] });
    expect(notices.at(-1)?.data).toEqual({
      type: 'preferences.changed',
      preferences: { genres: { liked: [878], disliked: [] }, people: { liked: [] }, languages: ['ja'], mediaTypes: [] },
    });
  });

  it('given an erased user, every trace goes, the counters fall, and later events are ignored', () => {
    const listId = uuid();
    const entryId = uuid();
    const events = [
      recorded('UserRegistered', { userId: ada, displayName: 'Ada' }),
      rated(ada, matrix, 9, 'great'),
      rated(bob, matrix, 5),
      recorded('ListCreated', { listId, ownerId: ada, name: 'Mine', description: '', visibility: 'public', kind: 'custom' }),
      recorded('ListItemAdded', { listId, titleId: dune }),
      recorded('TitleWatched', { entryId, userId: ada, titleId: dune, watchedOn: '2024-01-01', rewatch: false }),
      recorded('GenreLiked', { userId: ada, genreId: 18 }),
      recorded('UserErased', { userId: ada }),
      rated(ada, dune, 7),
    ];
    const state = given({}, events);
    when(state, events);
    expect(state.users.get(ada)).toMatchObject({ display_name: null, erased_at: expect.any(String) });
    expect(state.stats.get(matrix)).toMatchObject({ rating_count: 1, rating_sum: 5 });
    expect(state.stats.get(dune)).toMatchObject({ rating_count: 0, watch_count: 0, list_count: 0 });
    expect(state.lists.get(listId)).toBeUndefined();
    expect(state.preferences.get(ada)).toBeUndefined();
    expect(state.feed.inserts.map((row) => row.user_id)).toEqual([bob]);
    expect(state.feed.removedUsers).toEqual(new Set([ada]));
  });
});
