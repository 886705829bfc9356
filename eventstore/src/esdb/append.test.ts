import { randomUUID } from 'node:crypto';
import { BACKWARDS, ErrorType, NO_STREAM } from '@kurrent/kurrentdb-client';
import { describe, expect, it, vi } from 'vitest';
import type { PreparedEvent } from '../codec.ts';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.ts';
import { encodePosition } from '../positions.ts';
import { appendPrepared, matchStoredAppend, type AppendClient } from './append.ts';
import { clientError, fakeRead, fakeResolved } from './fakes.testing.ts';

function prepared(count: number): PreparedEvent[] {
  return Array.from({ length: count }, () => {
    const eventId = randomUUID();
    return {
      eventId,
      type: 'ListItemAdded',
      data: { listId: 'l', titleId: 'movie:1' },
      metadata: { schemaVersion: 1, occurredAt: '2024-01-01T00:00:00.000Z', correlationId: eventId, causationId: eventId, userId: null },
    };
  });
}

function fakeClient(overrides: Partial<AppendClient>): AppendClient {
  return {
    appendToStream: vi.fn(async () => {
      throw new Error('unexpected append');
    }),
    readStream: vi.fn(() => fakeRead([])),
    ...overrides,
  } as AppendClient;
}

const wrongVersion = (actualState: unknown) => clientError(ErrorType.WRONG_EXPECTED_VERSION, { actualState });

describe('matching a retried append', () => {
  const stored = new Map([
    ['a', { version: 3, position: encodePosition(30, 30) }],
    ['b', { version: 4, position: encodePosition(40, 40) }],
    ['x', { version: 9, position: encodePosition(90, 90) }],
  ]);

  it('returns the original result when every id is stored back to back', () => {
    expect(matchStoredAppend(['a', 'b'], stored)).toEqual({ nextVersion: 4, position: encodePosition(40, 40) });
  });

  it('is a conflict when none is stored', () => {
    expect(matchStoredAppend(['c', 'd'], stored)).toBeNull();
  });

  it('is partial when only some are stored, or not in one run', () => {
    expect(matchStoredAppend(['a', 'c'], stored)).toBe('partial');
    expect(matchStoredAppend(['a', 'x'], stored)).toBe('partial');
    expect(matchStoredAppend(['b', 'a'], stored)).toBe('partial');
  });
});

describe('appending', () => {
  it('writes with the translated stream state and returns version and position of a single event', async () => {
    const appendToStream = vi.fn(async () => ({ success: true, nextExpectedRevision: 0n, position: { commit: 77n, prepare: 77n } }));
    const client = fakeClient({ appendToStream } as Partial<AppendClient>);
    const events = prepared(1);
    const result = await appendPrepared(client, 'list-1', events, 0);
    expect(result).toEqual({ nextVersion: 1, position: encodePosition(77n, 77n) });
    expect(appendToStream).toHaveBeenCalledWith(
      'list-1',
      [expect.objectContaining({ id: events[0]!.eventId, contentType: 'application/json', type: 'ListItemAdded' })],
      { streamState: NO_STREAM },
    );
  });

  it('reads the last event back for the exact position of a batch', async () => {
    const appendToStream = vi.fn(async () => ({ success: true, nextExpectedRevision: 5n, position: { commit: 900n, prepare: 700n } }));
    const readStream = vi.fn(() => fakeRead([fakeResolved({ revision: 5n, commit: 900n, prepare: 900n })]));
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    const result = await appendPrepared(client, 'list-1', prepared(3), 3);
    expect(result).toEqual({ nextVersion: 6, position: encodePosition(900n, 900n) });
    expect(readStream).toHaveBeenCalledWith('list-1', expect.objectContaining({ fromRevision: 5n, maxCount: 1 }));
  });

  it('reads the position back when an idempotent replay reports none', async () => {
    const appendToStream = vi.fn(async () => ({ success: true, nextExpectedRevision: 0n }));
    const readStream = vi.fn(() => fakeRead([fakeResolved({ revision: 0n, commit: 55n })]));
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    expect(await appendPrepared(client, 'list-1', prepared(1), 'any')).toEqual({ nextVersion: 1, position: encodePosition(55n, 55n) });
  });

  it('raises ConcurrencyError with the actual version on a real conflict', async () => {
    const appendToStream = vi.fn(async () => {
      throw wrongVersion(6n);
    });
    const readStream = vi.fn(() => fakeRead([fakeResolved({ revision: 6n, commit: 60n })]));
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    const error = await appendPrepared(client, 'list-1', prepared(1), 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ stream: 'list-1', expectedVersion: 3, actualVersion: 7 });
    expect(readStream).toHaveBeenCalledWith('list-1', expect.objectContaining({ direction: BACKWARDS }));
  });

  it('reports version 0 when the stream does not exist', async () => {
    const appendToStream = vi.fn(async () => {
      throw wrongVersion(NO_STREAM);
    });
    const readStream = vi.fn(() => fakeRead([], clientError(ErrorType.STREAM_NOT_FOUND)));
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    await expect(appendPrepared(client, 'list-1', prepared(1), 'stream_exists')).rejects.toMatchObject({
      name: 'ConcurrencyError',
      actualVersion: 0,
    });
  });

  it('turns a stale retry whose events are all stored into the original result', async () => {
    const events = prepared(2);
    const appendToStream = vi.fn(async () => {
      throw wrongVersion(4n);
    });
    // Newest first, as a backwards read returns them; the retried pair sits below a later event.
    const readStream = vi.fn(() =>
      fakeRead([
        fakeResolved({ revision: 4n, commit: 400n }),
        fakeResolved({ revision: 3n, commit: 300n, id: events[1]!.eventId }),
        fakeResolved({ revision: 2n, commit: 200n, id: events[0]!.eventId.toUpperCase() }),
      ]),
    );
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    expect(await appendPrepared(client, 'list-1', events, 1)).toEqual({ nextVersion: 4, position: encodePosition(300n, 300n) });
  });

  it('refuses an append that repeats only part of a stored one', async () => {
    const events = prepared(2);
    const appendToStream = vi.fn(async () => {
      throw wrongVersion(2n);
    });
    const readStream = vi.fn(() => fakeRead([fakeResolved({ revision: 2n, commit: 200n, id: events[0]!.eventId })]));
    const client = fakeClient({ appendToStream, readStream } as Partial<AppendClient>);
    const error = await appendPrepared(client, 'list-1', events, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect((error as DuplicateEventIdError).eventIds).toEqual([events[0]!.eventId]);
  });

  it('passes other errors through untouched', async () => {
    const boom = clientError(ErrorType.ACCESS_DENIED);
    const client = fakeClient({
      appendToStream: vi.fn(async () => {
        throw boom;
      }),
    } as Partial<AppendClient>);
    await expect(appendPrepared(client, 'list-1', prepared(1), 'any')).rejects.toBe(boom);
  });
});
