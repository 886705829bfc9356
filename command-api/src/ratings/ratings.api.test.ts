import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type CommandApiHarness, type Session } from '../testing/api.testing.ts';

let api: CommandApiHarness;
let viewer: Session;
beforeAll(async () => {
  api = await startCommandApi();
  await api.seedTitles('movie:603', 'tv:1399');
  viewer = await api.register();
});
afterAll(() => api.close());

describe('ratings, diary and preferences over HTTP', () => {
  it('rates, re-rates, ignores an identical rating and unrates', async () => {
    const stream = `rating-${viewer.userId}-movie:603`;
    const rate = (body: object) => api.call('PUT', '/ratings/movie:603', { token: viewer.accessToken, body });
    const first = await rate({ score: 7, review: 'Great', containsSpoilers: false });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-position')).toBe(first.body.position);
    const same = await rate({ score: 7, review: 'Great' });
    expect(same.body.position).toBe(first.body.position);
    expect((await rate({ score: 9 })).status).toBe(200);
    expect((await api.store.readStream(stream)).map((e) => e.type)).toEqual(['TitleRated', 'TitleRated']);
    expect((await api.call('DELETE', '/ratings/movie:603', { token: viewer.accessToken })).status).toBe(200);
    expect((await api.call('DELETE', '/ratings/movie:603', { token: viewer.accessToken })).status).toBe(404);
    expect((await rate({ score: 11 })).status).toBe(400);
    expect((await rate({ score: 7.5 })).status).toBe(400);
    expect((await rate({ score: 5, review: 'x'.repeat(5001) })).status).toBe(400);
    expect((await api.call('PUT', '/ratings/movie:424242', { token: viewer.accessToken, body: { score: 5 } })).status).toBe(404);
  });

  it('logs watches: rewatches are separate entries, future and pre-1870 dates are refused', async () => {
    const log = (body: object) => api.call('POST', '/diary', { token: viewer.accessToken, body });
    const first = await log({ titleId: 'tv:1399', watchedOn: '2023-05-01' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ entryId: expect.any(String), position: expect.any(String) });
    const again = await log({ titleId: 'tv:1399' });
    expect(again.status).toBe(201);
    const entries = await api.store.readStream(`diary-${viewer.userId}`);
    expect(entries.map((e) => (e.type === 'TitleWatched' ? e.data.rewatch : null))).toEqual([false, true]);
    expect((await log({ titleId: 'tv:1399', watchedOn: '2999-01-01' })).body.code).toBe('invalid_watch_date');
    expect((await log({ titleId: 'tv:1399', watchedOn: '1869-12-31' })).status).toBe(409);
    expect((await log({ titleId: 'tv:1399', watchedOn: '2023-02-30' })).status).toBeGreaterThanOrEqual(400);
    const removed = await api.call('DELETE', `/diary/${first.body.entryId}`, { token: viewer.accessToken });
    expect(removed.status).toBe(200);
    expect((await api.call('DELETE', `/diary/${first.body.entryId}`, { token: viewer.accessToken })).status).toBe(404);
  });

  it('stores only the difference of preferences, and nothing when nothing changed', async () => {
    const put = (body: object) => api.call('PUT', '/preferences', { token: viewer.accessToken, body });
    const stream = `preferences-${viewer.userId}`;
    expect((await put({ genres: { liked: [878, 18], disliked: [27] }, languages: ['en', 'ko'], mediaTypes: ['movie'] })).status).toBe(200);
    const afterFirst = (await api.store.readStream(stream)).length;
    expect(afterFirst).toBe(6);
    const unchanged = await put({ genres: { liked: [18, 878], disliked: [27] } });
    expect(unchanged.status).toBe(200);
    expect((await api.store.readStream(stream)).length).toBe(afterFirst);
    await put({ languages: ['en'], people: { liked: [6384] } });
    const latest = (await api.store.readStream(stream)).slice(afterFirst).map((e) => e.type);
    expect(latest.sort()).toEqual(['LanguageUnpreferred', 'PersonLiked']);
    expect((await put({ genres: { liked: [27], disliked: [27] } })).body.code).toBe('conflicting_genre_preference');
    expect((await put({ genres: { liked: [12345], disliked: [] }, languages: ['english'] })).status).toBe(400);
  });

  it('never answers 500 to hostile input', async () => {
    const hostile: unknown[] = [
      null,
      [],
      'text',
      42,
      { score: '9' },
      { score: null },
      { titleId: { $ne: 1 } },
      { ['__proto__']: { admin: true } },
      { constructor: { prototype: {} } },
      { titleIds: [null] },
    ];
    const routes: [string, string][] = [
      ['PUT', '/ratings/movie:603'],
      ['POST', '/diary'],
      ['PUT', '/preferences'],
      ['POST', '/lists'],
      ['POST', '/lists/00000000-0000-4000-8000-000000000000/items'],
      ['PUT', '/lists/00000000-0000-4000-8000-000000000000/order'],
      ['POST', '/auth/register'],
      ['POST', '/auth/login'],
      ['POST', '/auth/refresh'],
    ];
    for (const [method, path] of routes) {
      for (const body of hostile) {
        const answer = await api.call(method, path, { token: viewer.accessToken, raw: JSON.stringify(body) });
        expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
      const wrongType = await api.call(method, path, {
        token: viewer.accessToken,
        raw: 'a=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(wrongType.status, `${method} ${path} form body`).toBe(415);
    }
  });
});
