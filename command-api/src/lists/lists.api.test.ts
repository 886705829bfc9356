import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildCommandApi } from '../app.ts';
import { TEST_AUTH, startCommandApi, type CommandApiHarness, type Session } from '../testing/api.testing.ts';

let api: CommandApiHarness;
let owner: Session;
let other: Session;
const TITLES = Array.from({ length: 25 }, (_, i) => `movie:${1000 + i}` as const);

beforeAll(async () => {
  api = await startCommandApi();
  await api.seedTitles(...TITLES);
  [owner, other] = await Promise.all([api.register('Owner'), api.register('Other')]);
});
afterAll(() => api.close());

async function createList(body: object = { name: 'Faves' }, session = owner) {
  const answer = await api.call('POST', '/lists', { token: session.accessToken, body });
  expect(answer.status).toBe(201);
  return answer.body.listId as string;
}

describe('lists over HTTP', () => {
  it('creates a list with a trimmed name and answers version, position, ETag and X-Position', async () => {
    const answer = await api.call('POST', '/lists', {
      token: owner.accessToken,
      body: { name: '  Sunday night  ', description: 'cosy', visibility: 'public' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ listId: expect.any(String), version: 1, position: expect.any(String) });
    expect(answer.headers.get('etag')).toBe('"1"');
    expect(answer.headers.get('x-position')).toBe(answer.body.position);
    expect(answer.headers.get('location')).toBe(`/lists/${answer.body.listId}`);
    const [created] = await api.store.readStream(`list-${answer.body.listId}`);
    expect(created!.data).toMatchObject({ name: 'Sunday night', ownerId: owner.userId, visibility: 'public', kind: 'custom' });
    expect(created!.position).toBe(answer.body.position);
    expect(created!.correlationId).toBe(answer.headers.get('x-request-id'));
    expect(created!.userId).toBe(owner.userId);
  });

  it('uses the client request id as correlation id', async () => {
    const answer = await api.call('POST', '/lists', {
      token: owner.accessToken,
      body: { name: 'Traced' },
      headers: { 'x-request-id': 'req-42.abc' },
    });
    expect(answer.headers.get('x-request-id')).toBe('req-42.abc');
    const [created] = await api.store.readStream(`list-${answer.body.listId}`);
    expect(created).toMatchObject({ correlationId: 'req-42.abc', causationId: 'req-42.abc' });
  });

  it('takes 20 parallel adds of different titles to one list', async () => {
    const listId = await createList();
    const answers = await Promise.all(
      TITLES.slice(0, 20).map((titleId) => api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const events = await api.store.readStream(`list-${listId}`);
    expect(events.filter((e) => e.type === 'ListItemAdded')).toHaveLength(20);
    expect(Math.max(...answers.map((a) => a.body.version))).toBe(21);
  });

  it('retries conflicts between two instances on one stream until every add lands', async () => {
    const second = await buildCommandApi({
      store: api.store,
      pool: api.pool,
      schema: api.schema,
      auth: TEST_AUTH,
      logger: pino({ level: 'silent' }),
      rateLimitPerMinute: 100_000,
    });
    try {
      const listId = await createList();
      const answers = await Promise.all(
        TITLES.slice(0, 20).map(async (titleId, i) => {
          const request = {
            method: 'POST' as const,
            url: `/lists/${listId}/items`,
            headers: { authorization: `Bearer ${owner.accessToken}` },
            payload: { titleId },
          };
          if (i % 2 === 0) return (await second.inject(request)).statusCode;
          return (await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId } })).status;
        }),
      );
      expect(answers).toEqual(Array(20).fill(200));
      expect((await api.store.readStream(`list-${listId}`)).filter((e) => e.type === 'ListItemAdded')).toHaveLength(20);
    } finally {
      await second.close();
    }
  });

  it('appends exactly one event for 20 parallel adds of the same title', async () => {
    const listId = await createList();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId: TITLES[0] } }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('already_in_list');
    expect((await api.store.readStream(`list-${listId}`)).filter((e) => e.type === 'ListItemAdded')).toHaveLength(1);
  });

  it('refuses an unknown title with 404 and appends nothing', async () => {
    const listId = await createList();
    const answer = await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId: 'movie:999999' } });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('title_not_found');
    expect(await api.store.streamVersion(`list-${listId}`)).toBe(1);
  });

  it('hides a private list from others (404) and refuses changes to a public one (403)', async () => {
    const privateList = await createList({ name: 'Secret' });
    const publicList = await createList({ name: 'Shared', visibility: 'public' });
    const onPrivate = await api.call('POST', `/lists/${privateList}/items`, { token: other.accessToken, body: { titleId: TITLES[1] } });
    expect(onPrivate.status).toBe(404);
    const onPublic = await api.call('PATCH', `/lists/${publicList}`, { token: other.accessToken, body: { name: 'Mine now' } });
    expect(onPublic.status).toBe(403);
    expect((await api.call('DELETE', `/lists/${publicList}`, { token: other.accessToken })).status).toBe(403);
    expect((await api.call('DELETE', `/lists/${privateList}`, { token: other.accessToken })).status).toBe(404);
    expect(await api.store.streamVersion(`list-${publicList}`)).toBe(1);
  });

  it('honours If-Match: a stale version is 412 with the current ETag, the current one passes', async () => {
    const listId = await createList();
    await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId: TITLES[2] } });
    const stale = await api.call('PATCH', `/lists/${listId}`, {
      token: owner.accessToken,
      body: { name: 'Renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const fresh = await api.call('PATCH', `/lists/${listId}`, {
      token: owner.accessToken,
      body: { name: 'Renamed' },
      headers: { 'if-match': '"2"' },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.version).toBe(3);
    expect(fresh.headers.get('etag')).toBe('"3"');
    const bad = await api.call('PATCH', `/lists/${listId}`, {
      token: owner.accessToken,
      body: { name: 'x' },
      headers: { 'if-match': 'three' },
    });
    expect(bad.status).toBe(400);
  });

  it('reorders only by an exact permutation', async () => {
    const listId = await createList();
    for (const titleId of TITLES.slice(0, 3))
      await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId } });
    const wrong = await api.call('PUT', `/lists/${listId}/order`, { token: owner.accessToken, body: { titleIds: [TITLES[0], TITLES[1]] } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('not_a_permutation');
    const right = await api.call('PUT', `/lists/${listId}/order`, {
      token: owner.accessToken,
      body: { titleIds: [TITLES[2], TITLES[0], TITLES[1]] },
    });
    expect(right.status).toBe(200);
    const removed = await api.call('DELETE', `/lists/${listId}/items/${TITLES[0]}`, { token: owner.accessToken });
    expect(removed.status).toBe(200);
    expect((await api.call('DELETE', `/lists/${listId}/items/${TITLES[0]}`, { token: owner.accessToken })).body.code).toBe('not_in_list');
  });

  it('protects the watchlist and refuses everything on a deleted list', async () => {
    const watchlists = (await api.listsCreatedBy(owner.userId)).filter((list) => list.kind === 'watchlist');
    expect(watchlists).toHaveLength(1);
    const deleteWatchlist = await api.call('DELETE', `/lists/${watchlists[0]!.listId}`, { token: owner.accessToken });
    expect(deleteWatchlist).toMatchObject({ status: 409, body: { code: 'watchlist_protected' } });
    const listId = await createList();
    expect((await api.call('DELETE', `/lists/${listId}`, { token: owner.accessToken })).status).toBe(200);
    expect((await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId: TITLES[3] } })).status).toBe(404);
  });

  it('answers bad input with 400/413 problems naming the fields, and never a 500', async () => {
    const listId = await createList();
    const cases = [
      await api.call('POST', '/lists', { token: owner.accessToken, body: { name: '   ' } }),
      await api.call('POST', '/lists', { token: owner.accessToken, body: { name: 'x'.repeat(101), visibility: 'friends' } }),
      await api.call('POST', '/lists', { token: owner.accessToken, raw: '{"name": "broken' }),
      await api.call('POST', `/lists/${listId}/items`, { token: owner.accessToken, body: { titleId: 'movie:abc' } }),
      await api.call('POST', '/lists/not-a-uuid/items', { token: owner.accessToken, body: { titleId: TITLES[0] } }),
      await api.call('PUT', `/lists/${listId}/order`, { token: owner.accessToken, body: { titleIds: 'all' } }),
    ];
    expect(cases.map((c) => c.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(cases[0]!.body.errors).toEqual([expect.objectContaining({ in: 'body', field: '/name' })]);
    expect(cases[1]!.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/name', '/visibility']);
    expect(cases[4]!.body.errors[0]).toMatchObject({ in: 'params', field: '/listId' });
    const huge = await api.call('PUT', `/lists/${listId}/order`, {
      token: owner.accessToken,
      body: { titleIds: Array(20_000).fill('movie:1') },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.store.streamVersion(`list-${listId}`)).toBe(1);
  });
});
