import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, startStack, type QueryApiInstance, type Stack } from '../testing/stack.ts';

describe('GET /live through the real stack', () => {
  let stack: Stack;
  let api: QueryApiInstance;

  beforeAll(async () => {
    stack = await startStack('qa_live');
    api = await stack.startQueryApi();
    for (const [id, name] of [
      [603, 'The Matrix'],
      [604, 'The Matrix Reloaded'],
      [605, 'Heat'],
    ] as const)
      await stack.seedTitle(id, name);
  });
  afterAll(async () => stack?.close());

  const subscribed = (client: LiveClient) => client.until((m) => m.find((x) => x.type === 'subscribed'));

  it('delivers one update to two sockets on the same channel', async () => {
    const [a, b] = await Promise.all([LiveClient.open(api.wsUrl), LiveClient.open(api.wsUrl)]);
    for (const client of [a, b]) client.send({ type: 'subscribe', channels: ['title:movie:603', 'feed'] });
    await Promise.all([subscribed(a), subscribed(b)]);
    const user = await stack.register('Ana');
    const rated = await stack.command('PUT', '/ratings/movie:603', { token: user.accessToken, body: { score: 8 } });
    for (const client of [a, b]) {
      const update = await client.until((m) => m.find((x) => x.type === 'update' && x.channel === 'title:movie:603'));
      expect(update).toMatchObject({
        channel: 'title:movie:603',
        position: rated.body.position,
        data: { type: 'title.stats', titleId: 'movie:603', stats: { ratingCount: 1, ratingAverage: 8 } },
      });
      const feed = await client.until((m) => m.find((x) => x.type === 'update' && x.channel === 'feed'));
      expect(feed).toMatchObject({ data: { type: 'feed.added', entry: { kind: 'rated', titleId: 'movie:603' } } });
    }
    a.close();
    b.close();
  });

  it('after a reconnect with `since`, sends exactly the missed updates, then live ones, in order', async () => {
    const user = await stack.register('Bo');
    const first = await LiveClient.open(`${api.wsUrl}?token=${user.accessToken}`);
    first.send({ type: 'subscribe', channels: ['me', 'title:movie:604'] });
    await subscribed(first);
    const r1 = await stack.command('PUT', '/ratings/movie:604', { token: user.accessToken, body: { score: 5 } });
    await first.until((m) => m.filter((x) => x.type === 'update').length >= 2);
    const last = first.updates().at(-1)!.position;
    expect(last).toBe(r1.body.position);
    first.close();
    await first.closed;

    // Missed while away: a re-rate, a diary entry and a list.
    const missed = [
      await stack.command('PUT', '/ratings/movie:604', { token: user.accessToken, body: { score: 7 } }),
      await stack.command('POST', '/diary', { token: user.accessToken, body: { titleId: 'movie:604', watchedOn: '2025-01-02' } }),
      await stack.command('POST', '/lists', { token: user.accessToken, body: { name: 'Later' } }),
    ];
    // Wait until the projector has written them (else the backfill legitimately lacks them).
    await api.get('/me/lists', { token: user.accessToken, headers: { 'x-min-position': missed.at(-1)!.body.position } });

    const second = await LiveClient.open(api.wsUrl);
    second.send({ type: 'auth', token: user.accessToken });
    second.send({ type: 'subscribe', channels: ['me', 'title:movie:604'], since: last });
    await subscribed(second);
    const expected = missed.map((m) => m.body.position);
    await second.until((m) => m.filter((x) => x.type === 'update').length >= 5);
    const backfilled = second.updates();
    // rating (me + title), diary (me + title stats), list created (me).
    expect(backfilled.map((u) => `${u.channel} ${u.data.type}`).sort()).toEqual(
      ['me rating.changed', 'me diary.added', 'me list.changed', 'title:movie:604 title.stats', 'title:movie:604 title.stats'].sort(),
    );
    for (const update of backfilled) expect(expected).toContain(update.position);
    for (const channel of ['me', 'title:movie:604']) {
      const positions = second.updates(channel).map((u) => u.position);
      expect(positions).toEqual([...positions].sort());
      expect(new Set(positions).size).toBe(positions.length);
    }
    // The seam: the next change arrives live, once.
    const live = await stack.command('PUT', '/ratings/movie:604', { token: user.accessToken, body: { score: 9 } });
    await second.until((m) => m.filter((x) => x.type === 'update' && x.position === live.body.position).length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.updates().filter((u) => u.position === live.body.position)).toHaveLength(2);
    expect(second.updates()).toHaveLength(7);
    second.close();
  });

  it('a second query-api instance delivers the same updates (fan-out through NATS)', async () => {
    const other = await stack.startQueryApi();
    const a = await LiveClient.open(api.wsUrl);
    const b = await LiveClient.open(other.wsUrl);
    for (const client of [a, b]) client.send({ type: 'subscribe', channels: ['title:movie:605'] });
    await Promise.all([subscribed(a), subscribed(b)]);
    const user = await stack.register('Cy');
    const rated = await stack.command('PUT', '/ratings/movie:605', { token: user.accessToken, body: { score: 10 } });
    for (const client of [a, b]) {
      const update = await client.until((m) => m.find((x) => x.type === 'update'));
      expect(update).toMatchObject({ channel: 'title:movie:605', position: rated.body.position });
    }
    a.close();
    b.close();
  });

  it("refuses `me` without auth and someone else's private list, keeping the socket open", async () => {
    const owner = await stack.register('Owner');
    const stranger = await stack.register('Stranger');
    const list = await stack.command('POST', '/lists', { token: owner.accessToken, body: { name: 'Secret', visibility: 'private' } });
    await api.get('/me/lists', { token: owner.accessToken, headers: { 'x-min-position': list.body.position } });
    const listChannel = `list:${list.body.listId}`;

    const anonymous = await LiveClient.open(api.wsUrl);
    anonymous.send({ type: 'subscribe', channels: ['me'] });
    expect(await anonymous.until((m) => m.find((x) => x.type === 'error'))).toMatchObject({ code: 'forbidden', channels: ['me'] });

    const other = await LiveClient.open(`${api.wsUrl}?token=${stranger.accessToken}`);
    other.send({ type: 'subscribe', channels: [listChannel, 'feed'] });
    expect(await other.until((m) => m.find((x) => x.type === 'error'))).toMatchObject({ code: 'forbidden', channels: [listChannel] });
    expect(await subscribed(other)).toMatchObject({ channels: ['feed'] });

    const mine = await LiveClient.open(`${api.wsUrl}?token=${owner.accessToken}`);
    mine.send({ type: 'subscribe', channels: [listChannel] });
    expect(await subscribed(mine)).toMatchObject({ channels: [listChannel] });
    const added = await stack.command('POST', `/lists/${list.body.listId}/items`, {
      token: owner.accessToken,
      body: { titleId: 'movie:603' },
    });
    expect(await mine.until((m) => m.find((x) => x.type === 'update'))).toMatchObject({
      position: added.body.position,
      data: { type: 'list.changed', listId: list.body.listId },
    });

    // Malformed messages: an error each, and the socket still works.
    anonymous.send('not json');
    anonymous.send({ type: 'subscribe', channels: ['title:nope'] });
    anonymous.send({ type: 'launch' });
    anonymous.send({ type: 'subscribe', channels: Array.from({ length: 1500 }, (_, i) => `title:movie:${i + 1}`) });
    const malformed = await anonymous.until((m) => {
      const errors = m.filter((x) => x.type === 'error' && x.code === 'bad_request');
      return errors.length === 4 && errors;
    });
    // Each names its real problem, not the first branch of the message union ("token is required").
    expect(malformed.map((x) => x.message)).toEqual([
      'Messages must be JSON.',
      expect.stringMatching(/^Not a valid message: \/channels\/0 must match pattern/),
      'Not a valid message: /type must be one of "auth", "subscribe", "unsubscribe".',
      'Not a valid message: /channels must not have more than 100 items.',
    ]);
    anonymous.send({ type: 'subscribe', channels: ['feed'] });
    await subscribed(anonymous);
    anonymous.send({ type: 'auth', token: 'forged' });
    expect(await anonymous.until((m) => m.find((x) => x.code === 'invalid_token'))).toBeTruthy();
    expect(anonymous.socket.readyState).toBe(anonymous.socket.OPEN);
    for (const client of [anonymous, other, mine]) client.close();
  });

  it('a watcher of a public list loses it when the list goes private', async () => {
    const owner = await stack.register('Owner2');
    const watcher = await stack.register('Watcher');
    const list = await stack.command('POST', '/lists', { token: owner.accessToken, body: { name: 'Open', visibility: 'public' } });
    await api.get('/me/lists', { token: owner.accessToken, headers: { 'x-min-position': list.body.position } });
    const client = await LiveClient.open(`${api.wsUrl}?token=${watcher.accessToken}`);
    client.send({ type: 'subscribe', channels: [`list:${list.body.listId}`] });
    await subscribed(client);
    await stack.command('PATCH', `/lists/${list.body.listId}`, { token: owner.accessToken, body: { visibility: 'private' } });
    expect(await client.until((m) => m.find((x) => x.type === 'error'))).toMatchObject({
      code: 'forbidden',
      channels: [`list:${list.body.listId}`],
    });
    await stack.command('POST', `/lists/${list.body.listId}/items`, {
      token: owner.accessToken,
      body: { titleId: 'movie:604', note: 'private note' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.stringify(client.messages)).not.toContain('private note');
    expect(client.updates().every((u) => (u.data as { list?: { visibility: string } }).list?.visibility !== 'private')).toBe(true);
    client.close();
  });

  it('cuts off a client that stops reading, with slow_consumer, before its backlog grows without bound', async () => {
    const tight = await stack.startQueryApi({ liveLimits: { maxBufferedBytes: 256 * 1024 } });
    const client = await LiveClient.open(tight.wsUrl);
    client.send({ type: 'subscribe', channels: ['feed'] });
    await subscribed(client);
    client.socket.pause();
    // Large notices straight onto the subject the hub listens to (the projector's would be small).
    const { connect } = await import('nats');
    const nats = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    const filler = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 3000; i++) {
      const position = `${'9'.repeat(19)}1-${String(i).padStart(20, '0')}`;
      nats.publish(`${stack.base}.live.feed`, JSON.stringify({ channel: 'feed', position, data: { type: 'feed.added', filler } }));
    }
    await nats.flush();
    await nats.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(tight.app.hub.stats.sockets).toBe(0);
    client.socket.resume();
    const closed = await client.closed;
    expect([4008, 1006]).toContain(closed.code);
    if (closed.code === 4008) expect(client.messages.some((m) => m.code === 'slow_consumer')).toBe(true);
    // Far fewer than the 3,000 published: the server stopped queueing.
    expect(client.updates().length).toBeLessThan(3000);
  });
});
