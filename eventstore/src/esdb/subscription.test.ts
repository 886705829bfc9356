import { PassThrough, Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { START, type AllStreamSubscription, type SubscribeToAllOptions } from '@kurrent/kurrentdb-client';
import { describe, expect, it, vi } from 'vitest';
import { START_POSITION, encodePosition } from '../positions.ts';
import { fakeResolved } from './fakes.testing.ts';
import { EsdbSubscription, type SubscribeClient } from './subscription.ts';

const at = (n: number) => encodePosition(n, n);
const event = (n: number, type = 'ListItemAdded') => fakeResolved({ commit: BigInt(n), type });

type Raw = Readable & { unsubscribe: () => Promise<void> };

/** A client whose subscribeToAll hands out the given streams in turn, recording its options. */
function fakeClient(...streams: Raw[]) {
  const calls: SubscribeToAllOptions[] = [];
  const client: SubscribeClient = {
    subscribeToAll: (options = {}) => {
      calls.push(options);
      const next = streams.shift();
      if (!next) throw new Error('no more fake streams');
      return next as unknown as AllStreamSubscription;
    },
  };
  return { client, calls };
}

function pushable(): Raw & PassThrough {
  return Object.assign(new PassThrough({ objectMode: true, highWaterMark: 16 }), { unsubscribe: vi.fn(async () => {}) });
}

function subscription(client: SubscribeClient, from = START_POSITION, extra: { onError?: (e: Error) => void } = {}) {
  return new EsdbSubscription(client, { from, batchSize: 16, onError: extra.onError ?? (() => {}), retryDelaysMs: [0] });
}

function checkpointCallback(options: SubscribeToAllOptions | undefined) {
  const reached = options?.filter?.checkpointReached;
  if (!reached) throw new Error('no checkpoint callback passed');
  return reached;
}

describe('EventStoreDB subscription', () => {
  it('subscribes from START with a system-event filter, and from a token exclusively', async () => {
    const first = fakeClient(pushable());
    const sub1 = subscription(first.client);
    const waiting = sub1[Symbol.asyncIterator]().next();
    await tick();
    expect(first.calls[0]).toMatchObject({ fromPosition: START, resolveLinkTos: false, filter: { filterOn: 'eventType', regex: '^[^$]' } });
    await sub1.close();
    expect((await waiting).done).toBe(true);

    const raw = pushable();
    const second = fakeClient(raw);
    const sub = subscription(second.client, at(10));
    const it2 = sub[Symbol.asyncIterator]();
    const pending = it2.next();
    raw.write(event(10));
    raw.write(event(11));
    expect((await pending).value?.position).toBe(at(11));
    expect(second.calls[0]?.fromPosition).toEqual({ commit: 10n, prepare: 10n });
    await sub.close();
  });

  it('yields product events in order, skipping system ones, with the checkpoint on the last', async () => {
    const raw = pushable();
    const { client } = fakeClient(raw);
    const sub = subscription(client);
    raw.write(event(1));
    raw.write(fakeResolved({ commit: 2n, stream: '$$list-1', type: '$metadata' }));
    raw.write(event(3));
    const seen: string[] = [];
    for await (const e of sub) {
      seen.push(e.position);
      expect(sub.checkpoint).toBe(e.position);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([at(1), at(3)]);
    expect(raw.unsubscribe).toHaveBeenCalled();
  });

  it('applies a filter checkpoint only after the events buffered before it were handled', async () => {
    const raw = pushable();
    const { client, calls } = fakeClient(raw);
    const sub = subscription(client);
    const it = sub[Symbol.asyncIterator]();
    raw.write(event(1));
    raw.write(event(2));
    expect((await it.next()).value?.position).toBe(at(1));
    await checkpointCallback(calls[0])(raw as unknown as AllStreamSubscription, { commit: 50n, prepare: 50n });
    await tick();
    expect(sub.checkpoint).toBe(at(1));
    expect((await it.next()).value?.position).toBe(at(2));
    await tick();
    expect(sub.checkpoint).toBe(at(2));
    // Pulling again means event 2 was handled: now the checkpoint may move on.
    const waiting = it.next();
    await tick();
    expect(sub.checkpoint).toBe(at(50));
    raw.write(event(60));
    expect((await waiting).value?.position).toBe(at(60));
    await sub.close();
  });

  it('applies a filter checkpoint at once while idle', async () => {
    const raw = pushable();
    const { client, calls } = fakeClient(raw);
    const sub = subscription(client);
    const it = sub[Symbol.asyncIterator]();
    const waiting = it.next();
    await tick();
    await checkpointCallback(calls[0])(raw as unknown as AllStreamSubscription, { commit: 70n, prepare: 70n });
    await tick();
    expect(sub.checkpoint).toBe(at(70));
    await sub.close();
    expect((await waiting).done).toBe(true);
  });

  it('pulls from the client only as fast as the consumer takes events', async () => {
    let produced = 0;
    const raw: Raw = Object.assign(
      new Readable({
        objectMode: true,
        highWaterMark: 4,
        read() {
          produced += 1;
          this.push(event(produced));
        },
      }),
      { unsubscribe: vi.fn(async () => {}) },
    );
    const { client } = fakeClient(raw);
    const it = subscription(client)[Symbol.asyncIterator]();
    await it.next();
    for (let i = 0; i < 20; i += 1) await tick();
    expect(produced).toBeLessThanOrEqual(6);
    await it.return(undefined);
  });

  it('resubscribes after the last event taken when the stream fails, without repeating it', async () => {
    const first = pushable();
    const second = pushable();
    const { client, calls } = fakeClient(first, second);
    const errors: Error[] = [];
    const sub = subscription(client, START_POSITION, { onError: (e) => errors.push(e) });
    const it = sub[Symbol.asyncIterator]();
    first.write(event(1));
    expect((await it.next()).value?.position).toBe(at(1));
    const next = it.next();
    first.destroy(new Error('connection reset'));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.fromPosition).toEqual({ commit: 1n, prepare: 1n });
    second.write(event(1));
    second.write(event(2));
    expect((await next).value?.position).toBe(at(2));
    expect(errors.map((e) => e.message)).toEqual(['connection reset']);
    await sub.close();
  });

  it('ends when closed, when aborted, and when the consumer stops', async () => {
    const raw = pushable();
    const { client } = fakeClient(raw);
    const controller = new AbortController();
    const sub = new EsdbSubscription(client, { from: START_POSITION, batchSize: 8, onError: () => {}, signal: controller.signal });
    const it = sub[Symbol.asyncIterator]();
    const waiting = it.next();
    await tick();
    controller.abort();
    expect((await waiting).done).toBe(true);
    expect(raw.destroyed).toBe(true);
    expect(raw.unsubscribe).toHaveBeenCalled();
  });
});
