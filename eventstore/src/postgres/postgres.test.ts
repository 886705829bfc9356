import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { take } from '../contract/suite.ts';
import { itemAdded, listCreated, listStream } from '../testing/events.ts';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '../testing/services.ts';
import { createPostgresEventStore, type PostgresEventStore } from './store.ts';

describe('PostgreSQL event store', () => {
  let url: string;
  let schema: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    url = await postgresUrlForTests();
    schema = uniqueSchemaName('es_pg');
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(url, schema);
  });

  it('migrates once when several processes start at the same moment', async () => {
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => createPostgresEventStore({ connectionString: url, schema, poolSize: 2 })),
    );
    [store] = stores as [PostgresEventStore];
    await Promise.all(stores.slice(1).map((s) => s.close()));
    const { rows } = await store.pool.query(`SELECT version, name FROM ${schema}.schema_migrations`);
    expect(rows).toEqual([{ version: 1, name: '001_events.sql' }]);
  });

  it('reads a stored v1 TitleRated as the current version', async () => {
    const userId = randomUUID();
    const stream = `rating-${userId}-movie:603`;
    // Written the way the first version of the product stored it: half stars.
    await store.pool.query(`SELECT append_events($1, 0, $2)`, [
      stream,
      JSON.stringify([
        {
          event_id: randomUUID(),
          type: 'TitleRated',
          data: { userId, titleId: 'movie:603', stars: 3.5 },
          metadata: { schemaVersion: 1, occurredAt: '2019-05-01T20:00:00.000Z', correlationId: 'c', causationId: 'c', userId },
        },
      ]),
    ]);
    const [event] = await store.readStream(stream);
    expect(event).toMatchObject({
      type: 'TitleRated',
      schemaVersion: 2,
      data: { userId, titleId: 'movie:603', score: 7, containsSpoilers: false },
    });
    const { events } = await store.readAll({ eventTypes: ['TitleRated'] });
    expect(events.find((e) => e.streamId === stream)?.data).toEqual({ userId, titleId: 'movie:603', score: 7, containsSpoilers: false });
  });

  it('leaves no trace of an append whose transaction rolls back', async () => {
    const listId = randomUUID();
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      await store.appendWithin(client, listStream(listId), [listCreated(listId)], { expectedVersion: 'no_stream' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await store.streamVersion(listStream(listId))).toBe(0);
    expect(await store.readStream(listStream(listId))).toEqual([]);
  });

  it('wakes a subscriber in another process through NOTIFY, not by polling', async () => {
    const other = await createPostgresEventStore({ connectionString: url, schema, poolSize: 2, idlePollMs: 60_000 });
    try {
      const listId = randomUUID();
      const subscription = other.subscribe({ from: await other.headPosition() });
      const received = take(subscription, (seen) => seen.some((e) => e.streamId === listStream(listId)), 5_000);
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      await store.appendToStream(listStream(listId), [listCreated(listId)]);
      expect((await received).map((e) => e.streamId)).toContain(listStream(listId));
      expect(Date.now() - started).toBeLessThan(1_000);
      await subscription.close();
    } finally {
      await other.close();
    }
  });

  it('refuses a bad expected version before touching the database', async () => {
    const listId = randomUUID();
    await expect(store.appendToStream(listStream(listId), [itemAdded(listId, 1)], { expectedVersion: -3 })).rejects.toThrow(RangeError);
  });

  it('counts past its limit as an estimate from the global sequence, and says so; a range out of sequence order counts exactly', async () => {
    const counting = await createPostgresEventStore({ connectionString: url, schema, poolSize: 2, exactCountLimit: 50 });
    try {
      const listId = randomUUID();
      const created = await counting.appendToStream(listStream(listId), [listCreated(listId)]);
      const appended = await counting.appendToStream(
        listStream(listId),
        Array.from({ length: 300 }, (_, n) => itemAdded(listId, n + 1)),
      );
      expect(await counting.countEvents(created.position, appended.position)).toEqual({ count: 300, exact: false });
      const first = (await counting.readStream(listStream(listId), { fromVersion: 261, limit: 1 }))[0]!;
      expect(await counting.countEvents(first.position, appended.position)).toEqual({ count: 40, exact: true });

      // An older transaction that commits later: its event sorts first but has the higher sequence number.
      const older = await counting.pool.connect();
      const other = randomUUID();
      try {
        await older.query('BEGIN');
        await older.query('SELECT pg_current_xact_id()');
        const newer = await counting.appendToStream(listStream(randomUUID()), [listCreated(randomUUID())]);
        const held = await counting.appendWithin(older, listStream(other), [listCreated(other)]);
        await older.query('COMMIT');
        expect(counting.comparePositions(held.position, newer.position)).toBeLessThan(0);
        expect(await counting.countEvents(appended.position, newer.position)).toEqual({ count: 2, exact: true });
        expect(await counting.countEvents(held.position, newer.position)).toEqual({ count: 1, exact: true });
      } finally {
        older.release();
      }
    } finally {
      await counting.close();
    }
  });

  it('sets a timeout that ends transactions left idle, so none holds readers back for long', async () => {
    const { rows } = await store.pool.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout');
    expect(rows[0]!.idle_in_transaction_session_timeout).toBe('10s');
  });
});
