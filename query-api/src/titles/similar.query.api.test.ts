import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStackWithRecommendationFixtures, type FixtureStack } from '../testing/recommendation-fixtures.ts';
import type { QueryApiInstance } from '../testing/stack.ts';

/*
 * Query side only: fixture rows behind `read.similar_titles` (see recommendation-fixtures.ts),
 * real catalog and activity projections for the summaries. What the engine finds similar is
 * tested end to end in titles.api.test.ts.
 */
describe('GET /titles/:id/similar over fixture rows of the similar_titles view', () => {
  let stack: FixtureStack;
  let api: QueryApiInstance;

  const scored = (answer: { body: { items: { title: { id: string }; score: number }[] } }) =>
    answer.body.items.map((item) => [item.title.id, item.score]);

  beforeAll(async () => {
    stack = await startStackWithRecommendationFixtures('qa_simq');
    api = await stack.startQueryApi();
    await stack.seedTitle(949, 'Heat', { genreIds: [80, 18, 53], year: 1995 });
    await stack.seedTitle(1001, 'Collateral', { genreIds: [80, 53], year: 2004 });
    await stack.seedTitle(1002, 'The Insider', { genreIds: [18], year: 1999 });
    const last = await stack.seedTitle(1006, 'Miami Vice', { mediaType: 'tv', titleId: 'tv:1006', genreIds: [80], year: 1984 });
    expect((await api.get('/titles/tv:1006', { headers: { 'x-min-position': last } })).status).toBe(200);
    await stack.putSimilar([
      { titleId: 'movie:949', rank: 1, similarId: 'movie:1001', score: 0.82 },
      { titleId: 'movie:949', rank: 2, similarId: 'tv:1006', score: 0.5 },
      { titleId: 'movie:949', rank: 3, similarId: 'movie:1002', score: 0.31 },
      { titleId: 'movie:1002', rank: 1, similarId: 'movie:999999', score: 0.2 },
    ]);
  });
  afterAll(async () => stack?.close());

  it("answers the title's rows in rank order with summaries, `limit` of them", async () => {
    const answer = await api.get('/titles/movie:949/similar');
    expect(answer.status).toBe(200);
    expect(scored(answer)).toEqual([
      ['movie:1001', 0.82],
      ['tv:1006', 0.5],
      ['movie:1002', 0.31],
    ]);
    expect(answer.body.items[1].title).toEqual({
      id: 'tv:1006',
      type: 'tv',
      title: 'Miami Vice',
      year: 1984,
      posterUrl: expect.stringContaining('/poster.jpg'),
      genres: ['Crime'],
      rating: { average: null, count: 0 },
    });
    expect(scored(await api.get('/titles/movie:949/similar?limit=2'))).toEqual([
      ['movie:1001', 0.82],
      ['tv:1006', 0.5],
    ]);
  });

  it('shows a neighbour the catalog has not projected yet by its id', async () => {
    const answer = await api.get('/titles/movie:1002/similar');
    expect(answer.body.items).toEqual([
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
        score: 0.2,
      },
    ]);
  });

  it('answers an empty list for a known title without rows, 404 for an unknown one, 400 for bad input', async () => {
    expect(await api.get('/titles/movie:1001/similar')).toMatchObject({ status: 200, body: { items: [] } });
    const unknown = await api.get('/titles/movie:1/similar');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    for (const path of [
      '/titles/film:1/similar',
      '/titles/movie:949/similar?limit=0',
      '/titles/movie:949/similar?limit=51',
      '/titles/movie:949/similar?cursor=x',
    ]) {
      const answer = await api.get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
