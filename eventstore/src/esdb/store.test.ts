import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EventStoreUnavailableError, EventValidationError } from '../errors.ts';
import { START_POSITION, encodePosition } from '../positions.ts';
import { fakeRead, fakeResolved } from './fakes.testing.ts';
import { createEsdbEventStore, normalizeConnectionString, storeOverClient, type StoreClient } from './store.ts';

describe('connection strings', () => {
  it('rewrite the deprecated esdb scheme and keep everything else', () => {
    expect(normalizeConnectionString('esdb://kurrentdb:2113?tls=false')).toBe('kurrentdb://kurrentdb:2113?tls=false');
    expect(normalizeConnectionString(' esdb+discover://a:2113,b:2113 ')).toBe('kurrentdb+discover://a:2113,b:2113');
    expect(normalizeConnectionString('kurrentdb://admin:changeit@localhost:2113')).toBe('kurrentdb://admin:changeit@localhost:2113');
  });
});

// The real client against a port nothing listens on: what a store does when the server is down.
describe('EventStoreDB store without a server', () => {
  const errors: Error[] = [];
  const store = createEsdbEventStore({ url: 'kurrentdb://127.0.0.1:1?tls=false', onError: (e) => errors.push(e) });
  afterAll(() => store.close());

  it('compares positions and starts at the shared start token', () => {
    expect(store.startPosition).toBe(START_POSITION);
    expect(store.comparePositions(encodePosition(1, 2), encodePosition(1, 3))).toBeLessThan(0);
  });

  it('rejects ping with the retryable unavailable error', async () => {
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('validates events before it tries to reach the server', async () => {
    const bad = [{ type: 'ListItemAdded', data: { listId: 'not-a-uuid' } }] as never;
    await expect(store.appendToStream('list-x', bad)).rejects.toBeInstanceOf(EventValidationError);
  });

  it('keeps a subscription waiting (and reporting) rather than throwing at the consumer', async () => {
    const subscription = store.subscribe();
    const next = subscription[Symbol.asyncIterator]().next();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
    await subscription.close();
    expect((await next).done).toBe(true);
    expect(subscription.checkpoint).toBe(START_POSITION);
  });
});

describe('EventStoreDB store over a client', () => {
  it('answers an empty append with the current version and head, writing nothing', async () => {
    const appendToStream = vi.fn();
    const client = {
      appendToStream,
      readStream: vi.fn(() => fakeRead([fakeResolved({ revision: 2n, commit: 30n })])),
      readAll: vi.fn(() => fakeRead([fakeResolved({ commit: 90n })])),
      subscribeToAll: vi.fn(),
      dispose: vi.fn(async () => {}),
    } as unknown as StoreClient;
    const store = storeOverClient(client);
    expect(await store.appendToStream('list-1', [], { expectedVersion: 7 })).toEqual({
      nextVersion: 3,
      position: encodePosition(90n, 90n),
    });
    expect(appendToStream).not.toHaveBeenCalled();
  });

  it('closes open subscriptions, then the client', async () => {
    const raw = Object.assign(new PassThrough({ objectMode: true }), { unsubscribe: vi.fn(async () => {}) });
    const dispose = vi.fn(async () => {});
    const client = { subscribeToAll: vi.fn(() => raw), dispose } as unknown as StoreClient;
    const store = storeOverClient(client);
    const next = store.subscribe()[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    expect((await next).done).toBe(true);
    expect(raw.unsubscribe).toHaveBeenCalled();
    expect(dispose).toHaveBeenCalled();
  });
});
