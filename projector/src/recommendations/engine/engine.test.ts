import { describe, expect, it } from 'vitest';
import type { EventData, EventType } from '@reeltime/schemas';
import { recorded, titleImported } from '../../testing/events.ts';
import { invertSpdInPlace } from './linear.ts';
import { RecommendationEngine } from './engine.ts';

const SCIENCE_FICTION = 878 as const;
const COMEDY = 35 as const;
const HORROR = 27 as const;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

type Given = { [K in EventType]: [K, EventData<K>, number?] }[EventType];

/** Given these events (each optionally at a day offset), then the engine as it folded them. */
function given(...events: Given[]): RecommendationEngine {
  const engine = new RecommendationEngine({ minInteractions: 2 });
  for (const [type, data, day = 0] of events)
    engine.apply(recorded(type, data as never, { occurredAt: new Date(T0 + day * DAY).toISOString() }));
  return engine;
}

const movie = (id: number, name: string, genreIds: (typeof SCIENCE_FICTION | typeof COMEDY | typeof HORROR)[], cast = 1) =>
  [
    'TitleImported',
    titleImported(id, name, { genreIds, cast: [{ personId: cast, name: `Person ${cast}`, character: '', order: 0 }], directors: [] }),
  ] as Given;
const rated = (userId: string, id: number, score: number, day = 0) =>
  ['TitleRated', { userId, titleId: `movie:${id}`, score, containsSpoilers: false }, day] as Given;

const user = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const catalog: Given[] = [
  movie(1, 'Alien', [SCIENCE_FICTION]),
  movie(2, 'Aliens', [SCIENCE_FICTION]),
  movie(3, 'Solaris', [SCIENCE_FICTION]),
  movie(4, 'Airplane!', [COMEDY]),
  movie(5, 'Hot Shots', [COMEDY]),
  movie(6, 'Scary Movie', [COMEDY, HORROR], 9),
];
// Three people who watch science fiction together, two who watch comedies.
const community: Given[] = [
  ...[1, 2, 3].flatMap((u) => [rated(user(u), 1, 9), rated(user(u), 2, 8), rated(user(u), 3, 7)]),
  ...[4, 5].flatMap((u) => [rated(user(u), 4, 8), rated(user(u), 5, 8), rated(user(u), 6, 6)]),
];

describe('recommendation engine', () => {
  it('recommends what people with the same history chose, because of the title that did most', () => {
    const engine = given(...catalog, ...community, rated(user(7), 1, 9));
    engine.fit();
    const [first, second] = engine.recommend(user(7), { limit: 5 });
    expect([first!.titleId, second!.titleId].sort()).toEqual(['movie:2', 'movie:3']);
    expect(first!.reasons[0]).toEqual({ kind: 'similar', text: 'Because you rated Alien 9/10', titleId: 'movie:1' });
  });

  it('never recommends a title the user rated, watched or listed', () => {
    const listId = '10000000-0000-4000-8000-000000000001';
    const engine = given(
      ...catalog,
      ...community,
      rated(user(7), 1, 3),
      [
        'TitleWatched',
        { entryId: '20000000-0000-4000-8000-000000000001', userId: user(7), titleId: 'movie:2', watchedOn: '2026-11-01', rewatch: false },
      ],
      ['ListCreated', { listId, ownerId: user(7), name: 'Later', description: '', visibility: 'private', kind: 'watchlist' }],
      ['ListItemAdded', { listId, titleId: 'movie:4' }],
    );
    engine.fit();
    const ids = engine.recommend(user(7), { limit: 10 }).map((item) => item.titleId);
    expect(ids).not.toContain('movie:1');
    expect(ids).not.toContain('movie:2');
    expect(ids).not.toContain('movie:4');
    expect(ids).toContain('movie:3');
  });

  it('gives a title back once its rating and list entry are gone', () => {
    const listId = '10000000-0000-4000-8000-000000000002';
    const engine = given(
      ...catalog,
      rated(user(7), 1, 8),
      ['TitleUnrated', { userId: user(7), titleId: 'movie:1' }],
      ['ListCreated', { listId, ownerId: user(7), name: 'Later', description: '', visibility: 'private', kind: 'custom' }],
      ['ListItemAdded', { listId, titleId: 'movie:2' }],
      ['ListDeleted', { listId }],
    );
    expect(engine.taste(user(7))!.interactions.size).toBe(0);
    expect(engine.recommend(user(7), { limit: 10 }).map((item) => item.titleId)).toEqual(expect.arrayContaining(['movie:1', 'movie:2']));
  });

  it('drops every title of a disliked genre, and keeps to the chosen media types', () => {
    const engine = given(
      ...catalog,
      ...community,
      ['GenreDisliked', { userId: user(7), genreId: HORROR }],
      ['MediaTypePreferred', { userId: user(7), mediaType: 'tv' }],
    );
    engine.fit();
    expect(engine.recommend(user(7), { limit: 10 })).toEqual([]);
    const withMovies = given(...catalog, ...community, ['GenreDisliked', { userId: user(7), genreId: HORROR }]);
    expect(withMovies.recommend(user(7), { limit: 10 }).map((item) => item.titleId)).not.toContain('movie:6');
  });

  it('starts someone with stated likes only from their genres and people, and says so', () => {
    const engine = given(
      ...catalog,
      ...community,
      ['GenreLiked', { userId: user(8), genreId: COMEDY }],
      ['PersonLiked', { userId: user(8), personId: 9 }],
    );
    engine.fit();
    const items = engine.recommend(user(8), { limit: 4 });
    expect(
      items
        .slice(0, 3)
        .map((item) => item.titleId)
        .sort(),
    ).toEqual(['movie:4', 'movie:5', 'movie:6']);
    const scary = items.find((item) => item.titleId === 'movie:6')!;
    expect(
      scary.reasons
        .map((reason) => reason.text)
        .slice(0, 2)
        .sort(),
    ).toEqual(['You like Comedy', 'You like Person 9']);
  });

  it('gives someone with nothing the trending titles, each with its reason', () => {
    const engine = given(...catalog, ...community, rated(user(1), 4, 8, 29), rated(user(2), 4, 8, 30), rated(user(3), 5, 8, 30));
    engine.fit();
    const items = engine.recommend(user(9), { limit: 6 });
    expect(items[0]!.titleId).toBe('movie:4');
    expect(items[0]!.reasons[0]).toEqual({ kind: 'trending', text: 'Trending this week' });
    for (const item of items) expect(item.reasons.length).toBeGreaterThanOrEqual(1);
  });

  it('forgets an erased account: it counts for nobody and gets the cold-start list', () => {
    const engine = given(...catalog, rated(user(1), 3, 9), ['UserErased', { userId: user(1) }]);
    expect(engine.taste(user(1))).toBeUndefined();
    expect(engine.users).toBe(0);
  });

  it('finds similar titles from the same item model, and by genre for titles it does not cover', () => {
    const engine = given(...catalog, ...community, movie(7, 'Stalker', [SCIENCE_FICTION]));
    engine.fit();
    expect(
      engine
        .similar('movie:1', 2)
        .map((item) => item.titleId)
        .sort(),
    ).toEqual(['movie:2', 'movie:3']);
    expect(engine.similar('movie:1', 2)[0]!.score).toBe(1);
    expect(engine.similar('movie:7', 3).map((item) => item.titleId)).toEqual(expect.arrayContaining(['movie:1', 'movie:2', 'movie:3']));
  });

  it('ranks titles that share keywords with what the user liked above those that do not', () => {
    const heist = { id: 10051, name: 'heist' };
    const withKeywords = (id: number, name: string, keywords: { id: number; name: string }[]) =>
      ['TitleImported', titleImported(id, name, { genreIds: [COMEDY], keywords, cast: [], directors: [] })] as Given;
    const engine = given(
      withKeywords(21, "Ocean's Eleven", [heist]),
      // Imported first, so that it would come first on a tie.
      withKeywords(22, 'Groundhog Day', [{ id: 8, name: 'time loop' }]),
      withKeywords(23, 'The Italian Job', [heist, { id: 7, name: 'car chase' }]),
      rated(user(7), 21, 9),
    );
    engine.fit();
    const [first, second] = engine.recommend(user(7), { limit: 2, diversity: 0 });
    expect(first!.titleId).toBe('movie:23');
    expect(second!.titleId).toBe('movie:22');
    expect(first!.score).toBeGreaterThan(second!.score);
  });

  it('diversifies the top across genres when asked (MMR), keeping the best first', () => {
    const many: Given[] = [...catalog, movie(7, 'Stalker', [SCIENCE_FICTION]), movie(8, 'Moon', [SCIENCE_FICTION])];
    const engine = given(...many, ['GenreLiked', { userId: user(8), genreId: SCIENCE_FICTION }]);
    const plain = engine.recommend(user(8), { limit: 4, diversity: 0 }).map((item) => item.titleId);
    const diverse = engine.recommend(user(8), { limit: 4, diversity: 0.9 }).map((item) => item.titleId);
    expect(diverse[0]).toBe(plain[0]);
    expect(plain.filter((id) => ['movie:4', 'movie:5', 'movie:6'].includes(id))).toEqual([]);
    expect(diverse.some((id) => ['movie:4', 'movie:5', 'movie:6'].includes(id))).toBe(true);
  });
});

describe('SPD inversion', () => {
  it('inverts a matrix larger than one block of pivots', () => {
    const n = 45;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = i === j ? n : 1 / (1 + Math.abs(i - j));
    const original = a.slice();
    invertSpdInPlace(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += original[i * n + k]! * a[k * n + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });

  it('inverts a Gram matrix over several blocks and a partial one into a symmetric inverse (it sweeps one triangle)', () => {
    // A ridge plus co-occurrences of sparse random histories, as the item model's fit builds it.
    const n = 101;
    const a = new Float64Array(n * n);
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let u = 0; u < 400; u++) {
      const titles = [...new Set(Array.from({ length: 6 }, () => Math.floor(next() ** 2 * n)))];
      for (const x of titles) for (const y of titles) a[x * n + y]! += 1;
    }
    for (let i = 0; i < n; i++) a[i * n + i]! += 5;
    const original = a.slice();
    invertSpdInPlace(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(a[i * n + j]).toBe(a[j * n + i]);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += original[i * n + k]! * a[k * n + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });
});
