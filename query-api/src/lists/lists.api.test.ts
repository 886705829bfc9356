import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type QueryApiInstance, type Stack } from '../testing/stack.ts';

describe('list endpoints through the real stack', () => {
  let stack: Stack;
  let api: QueryApiInstance;

  beforeAll(async () => {
    stack = await startStack('qa_lists');
    api = await stack.startQueryApi();
    for (const [id, name] of [
      [603, 'The Matrix'],
      [604, 'Reloaded'],
      [605, 'Revolutions'],
    ] as const)
      await stack.seedTitle(id, name);
  });
  afterAll(async () => stack?.close());

  it('shows your lists (watchlist first) and others only their public ones; private lists are 404 for others', async () => {
    const owner = await stack.register('Owner');
    const other = await stack.register('Other');
    const open = await stack.command('POST', '/lists', {
      token: owner.accessToken,
      body: { name: 'Open', visibility: 'public', description: 'Good ones' },
    });
    const secret = await stack.command('POST', '/lists', { token: owner.accessToken, body: { name: 'Secret' } });
    for (const titleId of ['movie:605', 'movie:603', 'movie:604']) {
      await stack.command('POST', `/lists/${open.body.listId}/items`, {
        token: owner.accessToken,
        body: { titleId, note: titleId === 'movie:603' ? 'start here' : undefined },
      });
    }
    const last = await stack.command('PUT', `/lists/${open.body.listId}/order`, {
      token: owner.accessToken,
      body: { titleIds: ['movie:603', 'movie:604', 'movie:605'] },
    });
    const wait = { 'x-min-position': last.body.position };

    const mine = await api.get('/me/lists', { token: owner.accessToken, headers: wait });
    expect(mine.body.items.map((l: { name: string; kind: string }) => [l.name, l.kind])).toEqual([
      ['Watchlist', 'watchlist'],
      ['Open', 'custom'],
      ['Secret', 'custom'],
    ]);
    expect(mine.body.items[1]).toMatchObject({
      listId: open.body.listId,
      ownerId: owner.userId,
      ownerName: 'Owner',
      visibility: 'public',
      itemCount: 3,
      description: 'Good ones',
    });
    const paged = await api.get('/me/lists?limit=2', { token: owner.accessToken });
    const rest = await api.get(`/me/lists?limit=2&cursor=${paged.body.nextCursor}`, { token: owner.accessToken });
    expect([...paged.body.items, ...rest.body.items].map((l: { name: string }) => l.name)).toEqual(['Watchlist', 'Open', 'Secret']);
    expect(rest.body.nextCursor).toBeNull();

    const theirs = await api.get(`/users/${owner.userId}/lists`, { token: other.accessToken });
    expect(theirs.body.items.map((l: { name: string }) => l.name)).toEqual(['Open']);

    const view = await api.get(`/lists/${open.body.listId}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('etag')).toBe(`"${view.body.version}"`);
    expect(view.body.items.map((i: { title: { id: string }; note: string | null }) => [i.title.id, i.note])).toEqual([
      ['movie:603', 'start here'],
      ['movie:604', null],
      ['movie:605', null],
    ]);
    const itemsPage = await api.get(`/lists/${open.body.listId}?limit=2`);
    expect((await api.get(`/lists/${open.body.listId}?limit=2&cursor=${itemsPage.body.nextCursor}`)).body.items[0].title.id).toBe(
      'movie:605',
    );

    expect((await api.get(`/lists/${secret.body.listId}`, { token: owner.accessToken })).status).toBe(200);
    for (const token of [other.accessToken, undefined]) {
      const hidden = await api.get(`/lists/${secret.body.listId}`, { token });
      expect(hidden.status).toBe(404);
      expect(hidden.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers 401 without a token, 404 for unknown users and lists, 400 for malformed ids', async () => {
    expect((await api.get('/me/lists')).status).toBe(401);
    expect((await api.get('/users/00000000-0000-4000-8000-000000000000/lists')).status).toBe(404);
    expect((await api.get('/lists/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await api.get('/lists/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'params', field: '/listId' });
    expect((await api.get('/me/lists?cursor=eyJ4Ijox', { token: (await stack.register()).accessToken })).status).toBe(400);
  });
});
