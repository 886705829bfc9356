import { BACKWARDS, END, ErrorType, FORWARDS, START } from '@kurrent/kurrentdb-client';
import { describe, expect, it, vi } from 'vitest';
import { START_POSITION, encodePosition } from '../positions.ts';
import { clientError, fakeRead, fakeResolved } from './fakes.testing.ts';
import { readAllPage, readHeadPosition, readStreamEvents, readStreamVersion, type ReadClient } from './read.ts';

function clientReading(readAll: unknown[] = [], readStream: unknown[] = [], streamError?: Error) {
  return {
    readAll: vi.fn(() => fakeRead(readAll)),
    readStream: vi.fn(() => fakeRead(readStream, streamError)),
  } satisfies Record<keyof ReadClient, unknown> as unknown as ReadClient & {
    readAll: ReturnType<typeof vi.fn>;
    readStream: ReturnType<typeof vi.fn>;
  };
}

describe('reading a stream', () => {
  it('maps fromVersion and limit to revision and count', async () => {
    const client = clientReading([], [fakeResolved({ revision: 2n, commit: 30n }), fakeResolved({ revision: 3n, commit: 40n })]);
    const events = await readStreamEvents(client, 'list-1', 3, 2);
    expect(events.map((e) => e.version)).toEqual([3, 4]);
    expect(client.readStream).toHaveBeenCalledWith('list-1', { fromRevision: 2n, maxCount: 2, direction: FORWARDS });
  });

  it('returns [] for a missing stream', async () => {
    const client = clientReading([], [], clientError(ErrorType.STREAM_NOT_FOUND));
    expect(await readStreamEvents(client, 'list-missing')).toEqual([]);
    expect(await readStreamVersion(client, 'list-missing')).toBe(0);
  });

  it('takes the version from the last event', async () => {
    const client = clientReading([], [fakeResolved({ revision: 11n, commit: 5n })]);
    expect(await readStreamVersion(client, 'list-1')).toBe(12);
    expect(client.readStream).toHaveBeenCalledWith('list-1', { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
  });
});

describe('reading $all', () => {
  it('starts at START with a server-side filter that drops system events', async () => {
    const client = clientReading([fakeResolved({ commit: 10n })]);
    const page = await readAllPage(client, { limit: 5 });
    const options = client.readAll.mock.calls[0]![0] as { fromPosition: unknown; filter: { filterOn: string; regex: string } };
    expect(options.fromPosition).toBe(START);
    expect(options.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$]' });
    expect(page).toMatchObject({ position: encodePosition(10n, 10n), isEnd: true });
    expect(page.events).toHaveLength(1);
  });

  it('is exclusive of `from`, and knows when more is waiting', async () => {
    const from = encodePosition(10n, 10n);
    const client = clientReading([
      fakeResolved({ commit: 10n }),
      fakeResolved({ commit: 20n }),
      fakeResolved({ commit: 30n }),
      fakeResolved({ commit: 40n }),
    ]);
    const page = await readAllPage(client, { from, limit: 2 });
    expect(page.events.map((e) => e.position)).toEqual([encodePosition(20n, 20n), encodePosition(30n, 30n)]);
    expect(page).toMatchObject({ position: encodePosition(30n, 30n), isEnd: false });
    expect(client.readAll.mock.calls[0]![0]).toMatchObject({ fromPosition: { commit: 10n, prepare: 10n }, maxCount: 4 });
  });

  it('moves past events it skips on the client (system streams, foreign events)', async () => {
    const client = clientReading([
      fakeResolved({ commit: 10n }),
      fakeResolved({ commit: 20n, stream: '$settings' }),
      fakeResolved({ commit: 30n, isJson: false }),
    ]);
    const page = await readAllPage(client, { limit: 10 });
    expect(page.events).toHaveLength(1);
    expect(page).toMatchObject({ position: encodePosition(30n, 30n), isEnd: true });
  });

  it('stays at `from` when nothing is new', async () => {
    const from = encodePosition(10n, 10n);
    const page = await readAllPage(clientReading([fakeResolved({ commit: 10n })]), { from, eventTypes: ['ListCreated'] });
    expect(page).toEqual({ events: [], position: from, isEnd: true });
  });

  it('continues a filtered read that reached the end from the log end seen before it began', async () => {
    const readAll = vi
      .fn()
      .mockReturnValueOnce(fakeRead([fakeResolved({ commit: 99n, stream: '$stats-node', type: '$statsCollected' })]))
      .mockReturnValueOnce(fakeRead([fakeResolved({ commit: 20n, type: 'ListCreated' })]));
    const client = { readAll, readStream: vi.fn() } as unknown as ReadClient;
    const page = await readAllPage(client, { eventTypes: ['ListCreated'], limit: 10 });
    expect(page.events.map((e) => e.type)).toEqual(['ListCreated']);
    expect(page).toMatchObject({ position: encodePosition(99n, 99n), isEnd: true });
    expect(readAll.mock.calls[0]![0]).toMatchObject({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    expect(readAll.mock.calls[1]![0]).toMatchObject({ filter: { regex: '^(?:ListCreated)$' } });
  });

  it('keeps the last match as position when a filtered page is full', async () => {
    const readAll = vi
      .fn()
      .mockReturnValueOnce(fakeRead([fakeResolved({ commit: 99n })]))
      .mockReturnValueOnce(
        fakeRead([fakeResolved({ commit: 20n, type: 'ListCreated' }), fakeResolved({ commit: 30n, type: 'ListCreated' })]),
      );
    const client = { readAll, readStream: vi.fn() } as unknown as ReadClient;
    const page = await readAllPage(client, { eventTypes: ['ListCreated'], limit: 1 });
    expect(page).toMatchObject({ position: encodePosition(20n, 20n), isEnd: false });
  });

  it('has a head at the newest product event, or the start', async () => {
    const client = clientReading([fakeResolved({ commit: 90n, stream: '$$list-1' }), fakeResolved({ commit: 80n })]);
    expect(await readHeadPosition(client)).toBe(encodePosition(80n, 80n));
    expect(client.readAll.mock.calls[0]![0]).toMatchObject({ fromPosition: END, direction: BACKWARDS });
    expect(await readHeadPosition(clientReading([]))).toBe(START_POSITION);
  });
});
