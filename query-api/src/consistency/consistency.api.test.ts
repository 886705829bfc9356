import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type QueryApiInstance, type Stack } from '../testing/stack.ts';

const POSITION = /^\d{20}-\d{20}$/;

describe('read-your-writes through the real stack', () => {
  let stack: Stack;
  let api: QueryApiInstance;

  beforeAll(async () => {
    stack = await startStack('qa_cons');
    api = await stack.startQueryApi();
    await stack.seedTitle(603, 'The Matrix');
  });
  afterAll(async () => stack?.close());

  it('a read with X-Min-Position = the command position sees the command', async () => {
    const me = await stack.register('Neo');
    for (let score = 6; score <= 9; score++) {
      const rated = await stack.command('PUT', '/ratings/movie:603', { token: me.accessToken, body: { score } });
      expect(rated.status).toBe(200);
      const read = await api.get('/me/ratings', { token: me.accessToken, headers: { 'x-min-position': rated.body.position } });
      expect(read.status).toBe(200);
      expect(read.headers.get('x-position')! >= rated.body.position).toBe(true);
      expect(read.body.items.map((r: { title: { id: string }; score: number }) => [r.title.id, r.score])).toEqual([['movie:603', score]]);
      const title = await api.get('/titles/movie:603', { token: me.accessToken, headers: { 'x-min-position': rated.body.position } });
      expect(title.body.me.rating.score).toBe(score);
      expect(title.body.stats.ratingCount).toBe(1);
    }
  });

  it('waits on notices, not by polling: many waiters resolve together when the projector catches up', async () => {
    const me = await stack.register('Trinity');
    const created = await stack.command('POST', '/lists', { token: me.accessToken, body: { name: 'Waiting' } });
    const reads = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.get('/me/lists', { token: me.accessToken, headers: { 'x-min-position': created.body.position } }),
      ),
    );
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.body.items.map((l: { name: string }) => l.name)).toEqual(['Watchlist', 'Waiting']);
    }
    expect(api.app.tracker.waiting).toBe(0);
  });

  it('answers 503 with Retry-After when the position is not reached in time, and X-Position on every answer', async () => {
    const slow = await stack.startQueryApi({ consistencyWaitMs: 300 });
    const future = `${'9'.repeat(20)}-${'0'.repeat(20)}`;
    const started = Date.now();
    const answer = await slow.get('/feed', { headers: { 'x-min-position': future } });
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.headers.get('x-position')).toMatch(POSITION);
    for (const path of ['/feed', '/titles', '/genres', '/titles/movie:999999', '/nope']) {
      expect((await api.get(path)).headers.get('x-position'), path).toMatch(POSITION);
    }
  });

  it("registration answers with a position: a read at it sees the new account's watchlist at once", async () => {
    const email = `fresh-${Date.now()}@example.com`;
    const registered = await stack.command('POST', '/auth/register', {
      body: { email, password: 'a long password', displayName: 'Fresh' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.position).toMatch(POSITION);
    expect(registered.headers.get('x-position')).toBe(registered.body.position);
    const lists = await api.get('/me/lists', {
      token: registered.body.accessToken,
      headers: { 'x-min-position': registered.body.position },
    });
    expect(lists.status).toBe(200);
    expect(lists.body.items.map((l: { name: string; kind: string }) => [l.name, l.kind])).toEqual([['Watchlist', 'watchlist']]);
  });

  it('an empty X-Min-Position is the same as none', async () => {
    const answer = await api.get('/feed', { headers: { 'x-min-position': '' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-position')).toMatch(POSITION);
  });

  it('refuses a malformed X-Min-Position with 400 naming the header', async () => {
    const answer = await api.get('/feed', { headers: { 'x-min-position': 'soon' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ in: 'headers', field: '/x-min-position' });
  });
});
