import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type QueryApiInstance, type Stack } from '../testing/stack.ts';

describe('me endpoints and the feed through the real stack', () => {
  let stack: Stack;
  let api: QueryApiInstance;

  const cast = (personId: number, name: string) => [{ personId, name, character: 'Lead', order: 0 }];
  beforeAll(async () => {
    stack = await startStack('qa_me');
    api = await stack.startQueryApi();
    await stack.seedTitle(949, 'Heat', { genreIds: [80, 18, 53], popularity: 50, cast: cast(1158, 'Al Pacino'), directors: [{ personId: 638, name: 'Michael Mann' }] });
    await stack.seedTitle(1001, 'Collateral', { genreIds: [80, 53], popularity: 30, cast: cast(500, 'Tom Cruise'), directors: [{ personId: 638, name: 'Michael Mann' }] });
    await stack.seedTitle(1002, 'The Insider', { genreIds: [18], popularity: 20, cast: cast(1158, 'Al Pacino'), directors: [{ personId: 638, name: 'Michael Mann' }] });
    await stack.seedTitle(1003, 'Scary Movie', { genreIds: [27, 35], popularity: 95, cast: cast(9, 'Someone'), directors: [{ personId: 10, name: 'Other' }] });
    await stack.seedTitle(1004, 'Toy Story', { genreIds: [16, 35], popularity: 80, cast: cast(31, 'Tom Hanks'), directors: [{ personId: 7879, name: 'John Lasseter' }] });
    await stack.seedTitle(1005, 'Frasier', { mediaType: 'tv', titleId: 'tv:1005', genreIds: [35], popularity: 10, cast: cast(32, 'Kelsey Grammer'), directors: [] });
  });
  afterAll(async () => stack?.close());

  it('pages your ratings and diary, newest first, and shows your preferences', async () => {
    const me = await stack.register('Rater');
    for (const [titleId, score] of [['movie:949', 9], ['movie:1001', 6], ['movie:1002', 7]] as const) {
      await stack.command('PUT', `/ratings/${titleId}`, { token: me.accessToken, body: { score } });
    }
    await stack.command('POST', '/diary', { token: me.accessToken, body: { titleId: 'movie:949', watchedOn: '2024-01-01' } });
    await stack.command('POST', '/diary', { token: me.accessToken, body: { titleId: 'movie:1001', watchedOn: '2024-03-01' } });
    const last = await stack.command('PUT', '/preferences', { token: me.accessToken, body: { genres: { liked: [35], disliked: [27] }, languages: ['en'] } });
    const wait = { 'x-min-position': last.body.position };

    const first = await api.get('/me/ratings?limit=2', { token: me.accessToken, headers: wait });
    const second = await api.get(`/me/ratings?limit=2&cursor=${first.body.nextCursor}`, { token: me.accessToken });
    expect([...first.body.items, ...second.body.items].map((r: { title: { id: string }; score: number }) => [r.title.id, r.score])).toEqual([
      ['movie:1002', 7], ['movie:1001', 6], ['movie:949', 9],
    ]);
    expect(second.body.nextCursor).toBeNull();
    expect(first.body.items[0].title.title).toBe('The Insider');

    const diary = await api.get('/me/diary', { token: me.accessToken });
    expect(diary.body.items.map((d: { title: { id: string }; watchedOn: string }) => [d.title.id, d.watchedOn])).toEqual([['movie:1001', '2024-03-01'], ['movie:949', '2024-01-01']]);

    const preferences = await api.get('/me/preferences', { token: me.accessToken });
    expect(preferences.body).toMatchObject({ genres: { liked: [35], disliked: [27] }, people: { liked: [] }, languages: ['en'], mediaTypes: [] });
    const fresh = await api.get('/me/preferences', { token: (await stack.register()).accessToken });
    expect(fresh.body).toEqual({ genres: { liked: [], disliked: [] }, people: { liked: [] }, languages: [], mediaTypes: [], updatedAt: null });
  });

  it('recommends unseen titles with reasons, leaving out disliked genres', async () => {
    const me = await stack.register('Seeker');
    await stack.command('PUT', '/ratings/movie:949', { token: me.accessToken, body: { score: 9 } });
    const last = await stack.command('PUT', '/preferences', { token: me.accessToken, body: { genres: { liked: [35], disliked: [27] }, people: { liked: [31] } } });
    const answer = await api.get('/me/recommendations?limit=10', { token: me.accessToken, headers: { 'x-min-position': last.body.position } });
    expect(answer.status).toBe(200);
    expect(answer.body.position).toMatch(/^\d{20}-\d{20}$/);
    const byId = new Map(answer.body.items.map((i: { title: { id: string } }) => [i.title.id, i]));
    expect(byId.has('movie:949')).toBe(false); // rated
    expect(byId.has('movie:1003')).toBe(false); // horror is disliked
    expect(answer.body.items.slice(0, 2).map((i: { title: { id: string } }) => i.title.id).sort()).toEqual(['movie:1001', 'movie:1004']);
    expect((byId.get('movie:1001') as { reasons: unknown[] }).reasons[0]).toEqual({ kind: 'similar', text: 'Because you liked Heat', titleId: 'movie:949' });
    expect(byId.get('movie:1004')).toMatchObject({ reasons: expect.arrayContaining([{ kind: 'person', text: 'Because you like Tom Hanks' }, { kind: 'genre', text: 'Because you like Comedy' }]) });
    for (const item of answer.body.items) {
      expect(item.reasons.length).toBeGreaterThanOrEqual(1);
      expect(item.reasons.length).toBeLessThanOrEqual(3);
    }
    const tv = await api.get('/me/recommendations?type=tv', { token: me.accessToken });
    expect(tv.body.items.map((i: { title: { id: string } }) => i.title.id)).toEqual(['tv:1005']);
    const newcomer = await api.get('/me/recommendations?limit=3', { token: (await stack.register()).accessToken });
    expect(newcomer.body.items).toHaveLength(3);
    expect(newcomer.body.items[0].reasons.map((r: { kind: string }) => r.kind)).toContain('popular');
    expect((await api.get('/me/recommendations')).status).toBe(401);
    expect((await api.get('/me/recommendations?limit=500', { token: me.accessToken })).status).toBe(400);
  });

  it('pages the public feed newest first with `before`', async () => {
    const me = await stack.register('Poster');
    await stack.command('PUT', '/ratings/movie:1002', { token: me.accessToken, body: { score: 8, review: 'Tense' } });
    const last = await stack.command('POST', '/diary', { token: me.accessToken, body: { titleId: 'movie:1002', watchedOn: '2024-05-01' } });
    const feed = await api.get('/feed?limit=2', { headers: { 'x-min-position': last.body.position } });
    expect(feed.body.items.map((e: { kind: string }) => e.kind)).toEqual(['watched', 'rated']);
    expect(feed.body.items[1]).toMatchObject({ user: { userId: me.userId, displayName: 'Poster' }, title: { id: 'movie:1002' }, data: { score: 8, review: 'Tense' } });
    const older = await api.get(`/feed?limit=2&before=${feed.body.nextCursor}`);
    expect(older.body.items.every((e: { position: string }) => e.position < feed.body.nextCursor)).toBe(true);
    expect((await api.get('/feed?before=yesterday')).status).toBe(400);
  });
});
