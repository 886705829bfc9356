import { describe, expect, it } from 'vitest';
import type { LiveEvent } from './connection.svelte.ts';
import { LIVE_URL, position, setup, update } from './connection.testing.ts';

/*
 * LiveConnection, watching channels: one subscribe per channel, updates to the handlers of their channel.
 * The fake socket and clock are in connection.testing.ts.
 */

describe('LiveConnection: watching', () => {
  it('given an open socket, when two handlers watch one channel and then both stop, then subscribe and unsubscribe are each sent once', async () => {
    const t = setup();
    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    const stopFirst = t.live.watch('title:movie:603', () => {});
    const stopSecond = t.live.watch('title:movie:603', () => {});
    stopFirst();
    stopFirst(); // a second call of the same stop changes nothing
    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['title:movie:603'] }]);

    stopSecond();
    expect(socket.sent).toEqual([
      { type: 'subscribe', channels: ['title:movie:603'] },
      { type: 'unsubscribe', channels: ['title:movie:603'] },
    ]);
  });

  it('given a channel watched before the socket opened, when it opens, then it is subscribed once', async () => {
    const t = setup();
    t.live.watch('feed', () => {});
    t.live.watch('feed', () => {});
    t.live.start(LIVE_URL, false);

    const socket = await t.open();

    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given watched channels, when updates arrive, then each goes to the handlers of its channel only', async () => {
    const t = setup();
    const feed: LiveEvent[] = [];
    const title: LiveEvent[] = [];
    t.live.watch('feed', (event) => feed.push(event));
    t.live.watch('title:movie:603', (event) => title.push(event));
    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    socket.receive({ type: 'subscribed', channels: ['feed', 'title:movie:603'], position: position(1) });
    socket.receive(update('title:movie:603', 2));
    socket.receive(update('feed', 3));

    expect(title).toEqual([{ kind: 'update', update: update('title:movie:603', 2) }]);
    expect(feed).toEqual([{ kind: 'update', update: update('feed', 3) }]);
  });

  it('given a handler that throws, when an update arrives, then the other handlers still get it', async () => {
    const t = setup();
    const seen: LiveEvent[] = [];
    t.live.watch('feed', () => {
      throw new Error('a broken component');
    });
    t.live.watch('feed', (event) => seen.push(event));
    t.live.start(LIVE_URL, false);
    const socket = await t.open();
    const quiet = console.error;
    console.error = () => {};
    try {
      socket.receive(update('feed', 2));
    } finally {
      console.error = quiet;
    }

    expect(seen).toHaveLength(1);
  });

  it('given a refetch message, when it names watched channels, then their handlers are told to refetch', async () => {
    const t = setup();
    t.live.watch('feed', t.record);
    t.live.watch('me', t.record);
    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    socket.receive({ type: 'refetch', channels: ['feed'], reason: 'since_expired' });

    expect(t.events).toEqual([{ kind: 'refetch', channel: 'feed' }]);
  });

  it('given garbage from the server, when it arrives, then it is ignored', async () => {
    const t = setup();
    t.live.watch('feed', t.record);
    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    socket.onmessage?.({ data: 'not json' } as MessageEvent);
    socket.onmessage?.({ data: new ArrayBuffer(2) } as MessageEvent);

    expect(t.events).toEqual([]);
  });
});
