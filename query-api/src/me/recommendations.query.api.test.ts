import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadDb } from '../db.ts';
import { encodeCursor } from '../paging/cursor.ts';
import { coldStartFor, recommendationsQuery } from './recommendations.ts';
import { startStackWithRecommendationFixtures, type FixtureStack, type RecommendationFixture } from '../testing/recommendation-fixtures.ts';
import type { QueryApiInstance, Session } from '../testing/stack.ts';

/*
 * Query side only: fixture rows behind `read.recommendations` (see recommendation-fixtures.ts),
 * real catalog and activity projections for the title summaries. What the engine puts in the
 * rows is tested end to end in me.api.test.ts.
 */
describe('GET /me/recommendations over fixture rows of the recommendations view', () => {
  let stack: FixtureStack;
  let api: QueryApiInstance;
  let ranked: Session;
  let newcomer: Session;

  const because = (text: string, titleId?: string) => [{ kind: 'similar' as const, text, ...(titleId ? { titleId } : {}) }];
  const ids = (answer: { body: { items: { title: { id: string } }[] } }) => answer.body.items.map((item) => item.title.id);

  beforeAll(async () => {
    stack = await startStackWithRecommendationFixtures('qa_recq');
    api = await stack.startQueryApi();
    await stack.seedTitle(949, 'Heat', { genreIds: [80, 18, 53], year: 1995 });
    await stack.seedTitle(1001, 'Collateral', { genreIds: [80, 53], year: 2004 });
    await stack.seedTitle(1002, 'The Insider', { genreIds: [18], year: 1999 });
    await stack.seedTitle(1004, 'Toy Story', { genreIds: [16, 35], year: 1995 });
    await stack.seedTitle(1005, 'Frasier', { mediaType: 'tv', titleId: 'tv:1005', genreIds: [35], year: 1993 });
    await stack.seedTitle(1006, 'Miami Vice', { mediaType: 'tv', titleId: 'tv:1006', genreIds: [80], year: 1984 });
    ranked = await stack.register('Ranked');
    newcomer = await stack.register('Newcomer');
    // Someone else's rating, so a summary's rating comes from the activity projection.
    const critic = await stack.register('Critic');
    const rated = await stack.command('PUT', '/ratings/movie:1001', { token: critic.accessToken, body: { score: 8 } });
    // The catalog and activity have caught up (the recommendations projection is not running here).
    expect((await api.get('/titles/movie:1001', { headers: { 'x-min-position': rated.body.position } })).status).toBe(200);

    const row = (rank: number, titleId: string, score: number, reasons: RecommendationFixture['reasons']): RecommendationFixture => ({
      userId: ranked.userId,
      rank,
      titleId,
      mediaType: titleId.startsWith('tv:') ? 'tv' : 'movie',
      score,
      reasons,
    });
    await stack.putRecommendations([
      row(1, 'movie:1001', 0.91, [...because('Because you liked Heat', 'movie:949'), { kind: 'genre', text: 'Because you like Crime' }]),
      row(2, 'tv:1005', 0.8, [{ kind: 'trending', text: 'Trending on Reeltime' }]),
      row(3, 'movie:1002', 0.7, because('Because you liked Heat', 'movie:949')),
      row(4, 'movie:1004', 0.5, [{ kind: 'popular', text: 'Popular right now' }]),
      // Ranks need not be contiguous (a per-type top-up can follow the overall top).
      row(7, 'tv:1006', 0.2, [{ kind: 'genre', text: 'Because you like Crime' }]),
    ]);
    await stack.putRecommendations([
      {
        userId: '*',
        rank: 1,
        titleId: 'movie:1004',
        mediaType: 'movie',
        score: 0.9,
        reasons: [{ kind: 'popular', text: 'Popular right now' }],
      },
      {
        userId: '*',
        rank: 2,
        titleId: 'tv:1005',
        mediaType: 'tv',
        score: 0.6,
        reasons: [{ kind: 'trending', text: 'Trending on Reeltime' }],
      },
    ]);
  });
  afterAll(async () => stack?.close());

  it("answers the caller's rows in rank order, with title summaries from the catalog and activity", async () => {
    const answer = await api.get('/me/recommendations', { token: ranked.accessToken });
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual(['movie:1001', 'tv:1005', 'movie:1002', 'movie:1004', 'tv:1006']);
    expect(answer.body.items[0]).toEqual({
      title: {
        id: 'movie:1001',
        type: 'movie',
        title: 'Collateral',
        year: 2004,
        posterUrl: expect.stringContaining('/poster.jpg'),
        genres: ['Crime', 'Thriller'],
        rating: { average: 8, count: 1 },
      },
      score: 0.91,
      reasons: [
        { kind: 'similar', text: 'Because you liked Heat', titleId: 'movie:949' },
        { kind: 'genre', text: 'Because you like Crime' },
      ],
    });
    expect(answer.body.items[1].title).toMatchObject({ id: 'tv:1005', type: 'tv', title: 'Frasier', rating: { average: null, count: 0 } });
    expect(answer.body.nextCursor).toBeNull();
    expect(answer.body.position).toMatch(/^\d{20}-\d{20}$/);
  });

  it('filters by type, keeping the rank order', async () => {
    expect(ids(await api.get('/me/recommendations?type=tv', { token: ranked.accessToken }))).toEqual(['tv:1005', 'tv:1006']);
    expect(ids(await api.get('/me/recommendations?type=movie', { token: ranked.accessToken }))).toEqual([
      'movie:1001',
      'movie:1002',
      'movie:1004',
    ]);
  });

  it('pages by rank with an opaque cursor: every row once, in order, then a null cursor', async () => {
    const walk = async (query: string) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const answer = await api.get(`/me/recommendations?${query}${cursor ? `&cursor=${cursor}` : ''}`, { token: ranked.accessToken });
        expect(answer.status).toBe(200);
        pages.push(ids(answer));
        cursor = answer.body.nextCursor;
        if (cursor !== null) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      } while (cursor !== null);
      return pages;
    };
    expect(await walk('limit=2')).toEqual([['movie:1001', 'tv:1005'], ['movie:1002', 'movie:1004'], ['tv:1006']]);
    expect(await walk('limit=2&type=movie')).toEqual([['movie:1001', 'movie:1002'], ['movie:1004']]);
    // Exactly a page's worth left: the last full page says there is nothing after it.
    expect(await walk('limit=5')).toEqual([['movie:1001', 'tv:1005', 'movie:1002', 'movie:1004', 'tv:1006']]);
  });

  it('refuses a cursor of another filter, a forged one and bad parameters with 400 problem+json', async () => {
    const movieCursor = (await api.get('/me/recommendations?limit=1&type=movie', { token: ranked.accessToken })).body.nextCursor;
    for (const query of [`type=tv&cursor=${movieCursor}`, `cursor=${movieCursor}`]) {
      const answer = await api.get(`/me/recommendations?${query}`, { token: ranked.accessToken });
      expect(answer.status, query).toBe(400);
      expect(answer.body.errors[0].field).toBe('/cursor');
    }
    const forged = [
      encodeCursor('recommendations:all', ['1; DROP TABLE x']),
      encodeCursor('recommendations:all', ['99999999999']),
      encodeCursor('ratings', ['1']),
      'bm90IGpzb24',
    ];
    for (const cursor of forged)
      expect((await api.get(`/me/recommendations?cursor=${cursor}`, { token: ranked.accessToken })).status, cursor).toBe(400);
    for (const query of ['limit=0', 'limit=51', 'limit=x', 'type=book', 'cursor=***', 'unknown=1']) {
      const answer = await api.get(`/me/recommendations?${query}`, { token: ranked.accessToken });
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api.get('/me/recommendations')).status).toBe(401);
    expect((await api.get('/me/recommendations', { token: 'forged' })).status).toBe(401);
  });

  it('answers the cold-start rows (user id *) to someone with no rows at all, and only to them', async () => {
    const cold = await api.get('/me/recommendations', { token: newcomer.accessToken });
    expect(cold.status).toBe(200);
    expect(
      cold.body.items.map((item: { title: { id: string }; reasons: { kind: string }[] }) => [item.title.id, item.reasons[0]!.kind]),
    ).toEqual([
      ['movie:1004', 'popular'],
      ['tv:1005', 'trending'],
    ]);
    expect(ids(await api.get('/me/recommendations?type=tv', { token: newcomer.accessToken }))).toEqual(['tv:1005']);
    const firstPage = await api.get('/me/recommendations?limit=1', { token: newcomer.accessToken });
    expect(ids(await api.get(`/me/recommendations?limit=1&cursor=${firstPage.body.nextCursor}`, { token: newcomer.accessToken }))).toEqual([
      'tv:1005',
    ]);

    // Rows of their own (here movies only, one the catalog has not projected): no more '*',
    // even for a type they have no rows of.
    await stack.putRecommendations([
      {
        userId: newcomer.userId,
        rank: 1,
        titleId: 'movie:999999',
        mediaType: 'movie',
        score: 0.4,
        reasons: [{ kind: 'popular', text: 'Popular right now' }],
      },
    ]);
    const own = await api.get('/me/recommendations', { token: newcomer.accessToken });
    expect(own.body.items).toEqual([
      {
        title: {
          id: 'movie:999999',
          type: 'movie',
          title: 'movie:999999',
          year: null,
          posterUrl: null,
          genres: [],
          rating: { average: null, count: 0 },
        },
        score: 0.4,
        reasons: [{ kind: 'popular', text: 'Popular right now' }],
      },
    ]);
    expect((await api.get('/me/recommendations?type=tv', { token: newcomer.accessToken })).body.items).toEqual([]);
  });

  it('reads a page with no query per item (the names its reasons show are stored with the list), and stays clear of JIT', async () => {
    // A list as long as the projection keeps (top 50 + 20 per type), every item with three reasons.
    const long = await stack.register('Long');
    await stack.putRecommendations(
      Array.from({ length: 70 }, (_, i) => ({
        userId: long.userId,
        rank: i + 1,
        titleId: i % 3 === 0 ? `tv:${5000 + i}` : `movie:${5000 + i}`,
        mediaType: i % 3 === 0 ? ('tv' as const) : ('movie' as const),
        score: 1 - i / 100,
        // Half the reasons name a title the list has a name for, the other half one it has none for.
        reasons: [['r', i < 35 ? 'movie:949' : 'movie:950', 9], ['g', 0, 18, 80], 't'],
        ...(i < 35 && { names: { 'movie:949': 'Se7en' } }),
      })),
    );
    type PlanNode = {
      'Node Type': string;
      'Parent Relationship'?: string;
      'Actual Loops': number;
      'Total Cost': number;
      Plans?: PlanNode[];
    };
    const subPlanLoops = (node: PlanNode): number[] => [
      ...(node['Parent Relationship'] === 'SubPlan' ? [node['Actual Loops']] : []),
      ...(node.Plans ?? []).flatMap(subPlanLoops),
    ];
    const read = new ReadDb({ databaseUrl: stack.harness.url, schema: stack.harness.settings.readSchema });
    try {
      // Both shapes: the caller's own list, and theirs-else-the-cold-start-list.
      for (const [owner, afterRank, limit, type] of [
        [sql.fragment`${long.userId}::text`, 0, 13, undefined],
        [sql.fragment`${long.userId}::text`, 20, 21, 'movie'],
        [coldStartFor(read.read, long.userId), 0, 13, undefined],
      ] as const) {
        const query = recommendationsQuery(read.read, owner, afterRank, limit, type);
        // Through the query API's own pool and session settings.
        const [explained] = await read.any<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(sql.unsafe`EXPLAIN (ANALYZE, FORMAT JSON) ${query}`);
        const plan = explained!['QUERY PLAN'][0].Plan;
        // No subquery runs per item (looking the reasons' names up was one, 14 % of a page's database time).
        expect(subPlanLoops(plan)).toEqual([]);
        const { rows: setting } = await stack.harness.pool.query<{ jit_above_cost: string }>('SHOW jit_above_cost');
        expect(plan['Total Cost']).toBeLessThan(Number(setting[0]!.jit_above_cost) / 10);
      }
    } finally {
      await read.end();
    }
    // And the answer is still the page, reasons included: a title the list has a name for is
    // named, any other by its id.
    const reasonsOf = async (query: string) =>
      (await api.get(`/me/recommendations?${query}`, { token: long.accessToken })).body.items.map(
        (item: { title: { id: string }; reasons: unknown }) => [item.title.id, item.reasons],
      );
    const reasons = (title: string, titleId = 'movie:949') => [
      { kind: 'similar', text: `Because you rated ${title} 9/10`, titleId },
      { kind: 'genre', text: 'You often watch Drama and Crime' },
      { kind: 'trending', text: 'Trending this week' },
    ];
    expect(await reasonsOf('limit=2&type=tv')).toEqual([
      ['tv:5000', reasons('Se7en')],
      ['tv:5003', reasons('Se7en')],
    ]);
    expect((await reasonsOf('limit=50')).slice(34, 36)).toEqual([
      ['movie:5034', reasons('Se7en')],
      ['movie:5035', reasons('movie:950', 'movie:950')],
    ]);
  });

  it('documents cursor and nextCursor in the OpenAPI document', async () => {
    const docs = await api.get('/docs/json');
    const operation = docs.body.paths['/me/recommendations'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['limit', 'type', 'cursor']));
    expect(Object.keys(operation.responses['200'].content['application/json'].schema.properties)).toEqual([
      'items',
      'nextCursor',
      'position',
    ]);
  });
});
