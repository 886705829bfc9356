import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, Position } from '@reeltime/eventstore';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import { dropSchema, itemAdded, listCreated, listStream, postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { EventTally, measureLag } from './lag.ts';

/** headPosition() stops below the oldest transaction open on the server (other test files'): wait for it to pass `position`. */
async function headReaches(store: EventStore, position: Position): Promise<void> {
  for (let i = 0; store.comparePositions(await store.headPosition(), position) < 0; i++) {
    if (i > 200) throw new Error('the head did not reach the last append within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a projection lag, from the store only (no token is decoded)', () => {
  let url: string;
  let schema: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    url = await postgresUrlForTests();
    schema = uniqueSchemaName('lag');
    store = await createPostgresEventStore({ connectionString: url, schema, poolSize: 2, exactCountLimit: 100 });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(url, schema);
  });

  it('given events of its types after the checkpoint, counts every event behind and the age of the oldest one waiting', async () => {
    const listId = randomUUID();
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const created = await store.appendToStream(listStream(listId), [listCreated(listId)]);
    const appended = await store.appendToStream(listStream(listId), [
      { ...itemAdded(listId, 1), metadata: { occurredAt } },
      itemAdded(listId, 2),
      itemAdded(listId, 3),
    ]);
    await headReaches(store, appended.position);

    const lag = await measureLag(store, created.position, ['ListItemAdded']);
    expect(lag.events).toEqual({ count: 3, exact: true });
    expect(lag.seconds).toBeGreaterThanOrEqual(59);
    expect(lag.seconds).toBeLessThan(120);
  });

  it('is caught up at the head, or when only events of other types follow', async () => {
    const listId = randomUUID();
    const created = await store.appendToStream(listStream(listId), [listCreated(listId)]);
    const appended = await store.appendToStream(listStream(listId), [itemAdded(listId, 1)]);
    await headReaches(store, appended.position);
    expect(await measureLag(store, appended.position, undefined)).toEqual({ events: { count: 0, exact: true }, seconds: 0 });
    expect(await measureLag(store, created.position, ['ListCreated'])).toEqual({ events: { count: 0, exact: true }, seconds: 0 });
  });

  it('says when the count behind is the store estimate', async () => {
    const listId = randomUUID();
    const created = await store.appendToStream(listStream(listId), [listCreated(listId)]);
    const appended = await store.appendToStream(
      listStream(listId),
      Array.from({ length: 150 }, (_, n) => itemAdded(listId, n + 1)),
    );
    await headReaches(store, appended.position);
    const lag = await measureLag(store, created.position, undefined);
    expect(lag.events.exact).toBe(false);
    expect(lag.events.count).toBe(150);
  });

  it('tallies events up to a moving position, counting each step once even when asked concurrently', async () => {
    const tally = new EventTally(store);
    const listId = randomUUID();
    const first = await store.appendToStream(listStream(listId), [listCreated(listId), itemAdded(listId, 1)]);
    const before = (await store.countEvents(store.startPosition, first.position)).count;
    expect(await tally.advanceTo(first.position)).toEqual({ count: before, exact: before <= 100 });
    const second = await store.appendToStream(listStream(listId), [itemAdded(listId, 2), itemAdded(listId, 3)]);
    const [a, b] = await Promise.all([tally.advanceTo(second.position), tally.advanceTo(second.position)]);
    expect(a.count).toBe(before + 2);
    expect(b.count).toBe(before + 2);
    expect((await tally.advanceTo(first.position)).count).toBe(before + 2);
  });
});
