import { LiveUpdateData } from '@reeltime/schemas';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLiveUpdate, schemaConsts } from './activity/contract.testing.ts';
import { projections } from './projections.ts';
import type { PublishedUpdate } from './runner/live.ts';
import { startProjector, type ProjectorService } from './service.ts';
import { event, streams, titleImported, uuid } from './testing/events.ts';
import { createHarness, eventually, type Harness } from './testing/harness.ts';

/** A tiny deterministic PRNG so a failing sequence can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('projector end to end through the PostgreSQL store', () => {
  let h: Harness;
  let service: ProjectorService;
  let nats: NatsConnection;
  const received: { subject: string; body: PublishedUpdate }[] = [];

  beforeAll(async () => {
    h = await createHarness('pj_e2e');
    nats = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    const subscription = nats.subscribe(`${h.base}.live.>`);
    void (async () => {
      for await (const message of subscription)
        received.push({ subject: message.subject, body: JSON.parse(new TextDecoder().decode(message.data)) });
    })();
    service = await startProjector(h.settings, projections, h.log);
  });
  afterAll(async () => {
    await service?.stop();
    await nats?.close();
    await h?.close();
  });

  const caughtUp = async () => {
    const head = await h.lastAppended();
    await eventually(async () => {
      const rows = await h.read<{ projection: string; position: string }>('SELECT projection, position FROM read.projection_positions');
      expect(rows.map((row) => row.projection).sort()).toEqual(projections.map((p) => p.name).sort());
      for (const row of rows) expect(row.position >= head).toBe(true);
    });
  };

  it('keeps every counter exact after a random sequence of rate, re-rate, unrate, add, remove, hide and delete', async () => {
    const next = random(20261121);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
    const titles = [603, 604, 605, 606, 607, 608].map((id) => `movie:${id}`);
    for (const [index, titleId] of titles.entries()) {
      await h.store.appendToStream(streams.title(titleId), [event('TitleImported', titleImported(603 + index, `Film ${index} Matrix`))]);
    }
    const users = Array.from({ length: 5 }, () => uuid());
    for (const userId of users)
      await h.store.appendToStream(streams.user(userId), [event('UserRegistered', { userId, displayName: `user ${userId.slice(0, 4)}` })]);

    const ratings = new Map<string, number>();
    const lists = new Map<string, { owner: string; visibility: 'public' | 'private'; items: Set<string> }>();
    const diary = new Map<string, { titleId: string; userId: string }>();
    const newList = async () => {
      const listId = uuid();
      const owner = pick(users);
      const visibility = next() < 0.5 ? 'public' : 'private';
      lists.set(listId, { owner, visibility, items: new Set() });
      await h.store.appendToStream(streams.list(listId), [
        event('ListCreated', { listId, ownerId: owner, name: 'L', description: '', visibility, kind: 'custom' }),
      ]);
    };
    for (let i = 0; i < 3; i++) await newList();

    for (let step = 0; step < 400; step++) {
      const roll = next();
      const userId = pick(users);
      const titleId = pick(titles);
      const key = `${userId}|${titleId}`;
      if (roll < 0.35) {
        const score = 1 + Math.floor(next() * 10);
        ratings.set(key, score);
        await h.store.appendToStream(streams.rating(userId, titleId), [
          event('TitleRated', { userId, titleId, score, containsSpoilers: false }),
        ]);
      } else if (roll < 0.45) {
        if (!ratings.delete(key)) continue;
        await h.store.appendToStream(streams.rating(userId, titleId), [event('TitleUnrated', { userId, titleId })]);
      } else if (roll < 0.65) {
        const [listId, list] = pick([...lists]);
        if (list.items.has(titleId)) continue;
        list.items.add(titleId);
        await h.store.appendToStream(streams.list(listId), [event('ListItemAdded', { listId, titleId })]);
      } else if (roll < 0.75) {
        const [listId, list] = pick([...lists]);
        if (!list.items.delete(titleId)) continue;
        await h.store.appendToStream(streams.list(listId), [event('ListItemRemoved', { listId, titleId })]);
      } else if (roll < 0.8) {
        const [listId, list] = pick([...lists]);
        list.visibility = list.visibility === 'public' ? 'private' : 'public';
        await h.store.appendToStream(streams.list(listId), [event('ListVisibilityChanged', { listId, visibility: list.visibility })]);
      } else if (roll < 0.84) {
        const [listId] = pick([...lists]);
        lists.delete(listId);
        await h.store.appendToStream(streams.list(listId), [event('ListDeleted', { listId })]);
        await newList();
      } else if (roll < 0.95) {
        const entryId = uuid();
        diary.set(entryId, { titleId, userId });
        await h.store.appendToStream(streams.diary(userId), [
          event('TitleWatched', { entryId, userId, titleId, watchedOn: '2025-01-02', rewatch: false }),
        ]);
      } else {
        if (diary.size === 0) continue;
        const [entryId, entry] = pick([...diary]);
        diary.delete(entryId);
        await h.store.appendToStream(streams.diary(entry.userId), [event('DiaryEntryRemoved', { entryId, userId: entry.userId })]);
      }
    }
    await caughtUp();

    const expected = titles.map((titleId) => {
      const scores = [...ratings].filter(([key]) => key.endsWith(`|${titleId}`)).map(([, score]) => score);
      return {
        title_id: titleId,
        rating_count: scores.length,
        rating_sum: scores.reduce((a, b) => a + b, 0),
        watch_count: [...diary.values()].filter((entry) => entry.titleId === titleId).length,
        list_count: [...lists.values()].filter((l) => l.visibility === 'public' && l.items.has(titleId)).length,
      };
    });
    const stats = await h.read(
      `SELECT t.title_id, coalesce(s.rating_count, 0) AS rating_count, coalesce(s.rating_sum, 0) AS rating_sum,
              coalesce(s.watch_count, 0) AS watch_count, coalesce(s.list_count, 0) AS list_count
         FROM read.titles t LEFT JOIN read.title_stats s USING (title_id) ORDER BY t.title_id`,
    );
    expect(stats).toEqual(expected);
    const items = await h.read<{ list_id: string; title_id: string }>('SELECT list_id, title_id FROM read.list_items');
    expect(items.map((i) => `${i.list_id}|${i.title_id}`).sort()).toEqual(
      [...lists].flatMap(([id, l]) => [...l.items].map((t) => `${id}|${t}`)).sort(),
    );
    const privateLists = [...lists].filter(([, l]) => l.visibility === 'private').map(([id]) => id);
    expect(await h.read('SELECT * FROM read.feed WHERE list_id = ANY($1)', [privateLists])).toEqual([]);
    expect((await h.read('SELECT count(*)::int AS n FROM read.feed WHERE kind = $1', ['rated']))[0]).toEqual({ n: ratings.size });
  });

  it('writes live notices that hold to the WebSocket contract (LiveUpdateData), every type of them', async () => {
    // What the random sequence above does not do: rename, describe, reorder, note, review,
    // preferences and an erasure.
    const userId = uuid();
    const listId = uuid();
    const titles = ['movie:603', 'movie:604', 'movie:605'];
    await h.store.appendToStream(streams.user(userId), [event('UserRegistered', { userId, displayName: 'Contract' })]);
    await h.store.appendToStream(streams.rating(userId, titles[0]!), [
      event('TitleRated', { userId, titleId: titles[0]!, score: 7, review: 'Fine.', containsSpoilers: false }),
    ]);
    await h.store.appendToStream(streams.list(listId), [
      event('ListCreated', { listId, ownerId: userId, name: 'C', description: '', visibility: 'public', kind: 'custom' }),
      event('ListRenamed', { listId, name: 'Contract' }),
      event('ListDescriptionChanged', { listId, description: 'Every notice' }),
      ...titles.map((titleId) => event('ListItemAdded', { listId, titleId, note: `about ${titleId}` })),
      event('ListItemsReordered', { listId, titleIds: [...titles].reverse() }),
    ]);
    await h.store.appendToStream(streams.preferences(userId), [
      event('GenreLiked', { userId, genreId: 878 }),
      event('PersonLiked', { userId, personId: 2 }),
      event('MediaTypePreferred', { userId, mediaType: 'movie' }),
    ]);
    const importId = uuid();
    await h.store.appendToStream(`import-${importId}`, [
      event('ImportStarted', { importId, userId, source: 'letterboxd', fileName: 'diary.csv', rows: 1 }),
      event('ImportCompleted', { importId, userId, matched: 1, imported: 1, alreadyPresent: 0, unmatchedCount: 0 }),
    ]);
    await h.store.appendToStream(streams.user(userId), [event('UserErased', { userId })]);
    await caughtUp();

    // `recommendations.changed` comes once the model's first fit (in a worker thread, itself
    // in the recommendations runner's thread) has landed, which may be after the checkpoint reached the head.
    const rows = await eventually(async () => {
      const all = await h.read<{ channel: string; data: { type: string }; projection: string }>(
        'SELECT channel, data, projection FROM read.live_updates ORDER BY position, channel, projection',
      );
      expect([...new Set(all.map((row) => row.data.type))].sort()).toEqual(schemaConsts(LiveUpdateData, 'type'));
      return all;
    }, 30_000);
    for (const row of rows) expectLiveUpdate(row.data);
    // The recommendations projection announces its own update, on `me` channels only.
    for (const row of rows.filter((r) => r.data.type === 'recommendations.changed')) {
      expect(row.projection).toBe('recommendations');
      expect(row.channel).toMatch(/^me\./);
    }
  });

  it('publishes on NATS exactly the rows it wrote to live_updates', async () => {
    // Two projections may announce the same event on the same `me` channel: the projection breaks the tie.
    const rows = await h.read<{ channel: string; position: string; data: unknown; projection: string }>(
      'SELECT channel, position, data, projection FROM read.live_updates ORDER BY position, channel, projection',
    );
    expect(rows.length).toBeGreaterThan(100);
    expect([...new Set(rows.map((row) => row.projection))].sort()).toEqual(['activity', 'imports', 'recommendations']);
    await eventually(async () => expect(received.filter((m) => m.subject.startsWith(`${h.base}.live.`)).length).toBe(rows.length));
    const sort = (
      a: { position: string; channel: string; projection: string },
      b: { position: string; channel: string; projection: string },
    ) => a.position.localeCompare(b.position) || a.channel.localeCompare(b.channel) || a.projection.localeCompare(b.projection);
    expect(received.map(({ body: { stream: _, seq: __, ...row } }) => row).sort(sort)).toEqual(rows);
    // One projector process, one stream, numbered without a gap in the order they came.
    expect(new Set(received.map((m) => m.body.stream)).size).toBe(1);
    expect(received.map((m) => m.body.seq)).toEqual(received.map((_, i) => i + 1));
    for (const message of received) {
      expect(message.subject).toBe(`${h.base}.live.${message.body.channel}`);
      expectLiveUpdate(message.body.data);
    }
  });

  it('serves search, metrics and health', async () => {
    const found = await h.read<{ title_id: string }>(
      `SELECT title_id FROM read.titles WHERE search @@ websearch_to_tsquery('simple', $1) OR $1 OPERATOR(public.<%) title ORDER BY title_id LIMIT 3`,
      ['Matrx'],
    );
    expect(found.length).toBeGreaterThan(0);
    expect(await h.read('SELECT name FROM read.genres WHERE genre_id = 878')).toEqual([{ name: 'Science Fiction' }]);
    const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
    for (const name of [
      'projector_lag_events',
      'projector_lag_seconds',
      'projector_batch_events_bucket',
      'projector_batch_duration_seconds_bucket',
      'projector_position',
      'projector_lag_events_exact',
    ]) {
      expect(metrics).toContain(name);
    }
    // The position is the store's count of events up to the checkpoint, not a number read out of a token.
    const stored = (await h.store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
    await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
      expect(text).toMatch(new RegExp(`^projector_position\\{projection="activity"[^}]*\\} ${stored}$`, 'm'));
      expect(text).toMatch(/^projector_lag_events_exact\{projection="activity"[^}]*\} 1$/m);
      expect(text).toMatch(/^projector_lag_events\{projection="activity"[^}]*\} 0$/m);
    });
    const ready = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${service.port}/health/live`)).status).toBe(200);
  });
});
