import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.ts';
import { itemAdded, listCreated, listStream } from '../testing/events.ts';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '../testing/services.ts';
import { createPostgresEventStore, type PostgresEventStore } from './store.ts';

describe('PostgreSQL event store: many streams at once', () => {
  let url: string;
  let schema: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    url = await postgresUrlForTests();
    schema = uniqueSchemaName('es_many');
    store = await createPostgresEventStore({ connectionString: url, schema, poolSize: 4 });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(url, schema);
  });

  it('appends to new and existing streams in one go, each at its expected version, and reads them back in one query', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await store.appendToStream(listStream(a), [listCreated(a)]);
    const results = await store.appendToStreams([
      { stream: listStream(a), events: [itemAdded(a, 1), itemAdded(a, 2)], expectedVersion: 1 },
      { stream: listStream(b), events: [listCreated(b)], expectedVersion: 'no_stream' },
    ]);
    expect(results.map((r) => r.nextVersion)).toEqual([3, 1]);
    expect(store.comparePositions(results[0]!.position, results[1]!.position)).toBeLessThan(0);

    const missing = listStream(randomUUID());
    const read = await store.readStreams([listStream(b), listStream(a), missing]);
    expect(read.get(listStream(a))!.map((e) => [e.version, e.type])).toEqual([
      [1, 'ListCreated'],
      [2, 'ListItemAdded'],
      [3, 'ListItemAdded'],
    ]);
    expect(read.get(listStream(b))!.map((e) => e.version)).toEqual([1]);
    expect(read.get(missing)).toEqual([]);
  });

  it('writes nothing at all when one stream has moved on', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await store.appendToStream(listStream(b), [listCreated(b)]);
    const attempt = store.appendToStreams([
      { stream: listStream(a), events: [listCreated(a)], expectedVersion: 'no_stream' },
      { stream: listStream(b), events: [listCreated(b)], expectedVersion: 'no_stream' },
    ]);
    await expect(attempt).rejects.toThrow(ConcurrencyError);
    expect(await store.streamVersion(listStream(a))).toBe(0);
    expect(await store.streamVersion(listStream(b))).toBe(1);
  });

  it('writes nothing at all when an event id is already stored (a retry whose answer was lost)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const reused = randomUUID();
    await store.appendToStream(listStream(a), [{ ...listCreated(a), eventId: reused }]);
    const attempt = store.appendToStreams([
      { stream: listStream(b), events: [listCreated(b)], expectedVersion: 'no_stream' },
      { stream: listStream(a), events: [{ ...itemAdded(a, 1), eventId: reused }], expectedVersion: 1 },
    ]);
    await expect(attempt).rejects.toThrow(DuplicateEventIdError);
    await expect(attempt).rejects.toThrow(reused);
    expect(await store.streamVersion(listStream(a))).toBe(1);
    expect(await store.streamVersion(listStream(b))).toBe(0);
  });

  it('refuses an append without events instead of guessing what it meant', async () => {
    await expect(store.appendToStreams([{ stream: listStream(randomUUID()), events: [], expectedVersion: 'any' }])).rejects.toThrow(
      RangeError,
    );
  });
});
