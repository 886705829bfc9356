import { describe, expect, it } from 'vitest';
import { encodePosition } from '../positions.ts';
import { isSystemEvent, positionOf, toEventData, toRawEvent } from './events.ts';
import { fakeResolved } from './fakes.testing.ts';

describe('writing', () => {
  it('stores data as JSON and the envelope as metadata, under the event id', () => {
    const metadata = {
      schemaVersion: 1,
      occurredAt: '2024-01-01T00:00:00.000Z',
      correlationId: 'c',
      causationId: 'c',
      userId: null,
    };
    const data = toEventData({ eventId: '0b8a4a1e-3c7e-4b5a-9c55-2f4f8b8e9d11', type: 'ListDeleted', data: { listId: 'x' }, metadata });
    expect(data).toEqual({
      id: '0b8a4a1e-3c7e-4b5a-9c55-2f4f8b8e9d11',
      contentType: 'application/json',
      type: 'ListDeleted',
      data: { listId: 'x' },
      metadata,
    });
  });
});

describe('reading', () => {
  it('turns revision r into version r + 1 and keeps the $all position', () => {
    const resolved = fakeResolved({
      stream: 'list-9',
      revision: 4n,
      commit: 500n,
      prepare: 480n,
      id: 'ABCDEF00-0000-4000-8000-000000000000',
    });
    const raw = toRawEvent(resolved);
    expect(raw).toMatchObject({
      streamId: 'list-9',
      version: 5,
      position: encodePosition(500n, 480n),
      eventId: 'abcdef00-0000-4000-8000-000000000000',
      type: 'ListItemAdded',
    });
    expect(raw?.metadata.schemaVersion).toBe(1);
    expect(positionOf(resolved)).toBe(encodePosition(500n, 480n));
  });

  it('skips system events by type and by stream', () => {
    expect(isSystemEvent(fakeResolved({ type: '$metadata', commit: 1n }))).toBe(true);
    expect(isSystemEvent(fakeResolved({ stream: '$stats-127.0.0.1:2113', commit: 1n }))).toBe(true);
    expect(toRawEvent(fakeResolved({ type: '$>', commit: 1n }))).toBeUndefined();
    expect(toRawEvent(fakeResolved({ stream: '$$list-1', commit: 1n }))).toBeUndefined();
  });

  it('skips events this store did not write', () => {
    expect(toRawEvent(fakeResolved({ commit: 1n, isJson: false }))).toBeUndefined();
    expect(toRawEvent(fakeResolved({ commit: 1n, metadata: null }))).toBeUndefined();
    expect(toRawEvent(fakeResolved({ commit: 1n, metadata: { $correlationId: 'x' } }))).toBeUndefined();
  });

  it('reads a missing userId as null', () => {
    const raw = toRawEvent(
      fakeResolved({ commit: 1n, metadata: { schemaVersion: 1, occurredAt: 't', correlationId: 'c', causationId: 'c' } }),
    );
    expect(raw?.metadata.userId).toBeNull();
  });

  it('fails loudly on an event without a position rather than invent one', () => {
    const resolved = fakeResolved({ commit: 1n });
    delete (resolved.event as { position?: unknown }).position;
    expect(() => toRawEvent(resolved)).toThrow(/without a \$all position/);
  });
});
