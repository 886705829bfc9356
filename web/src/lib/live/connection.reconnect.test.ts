import type { UpdateMessage } from '@reeltime/schemas/live';
import { describe, expect, it } from 'vitest';
import { FakeClock, LIVE_URL, position, setup, token, update } from './connection.testing.ts';

/*
 * LiveConnection, reconnecting after a drop: backoff with jitter, resubscribing since the last position, no duplicates.
 * The fake socket and clock are in connection.testing.ts.
 */

describe('LiveConnection: reconnecting', () => {
  it('given a dropped socket, when the backoff passes, then it reconnects with a growing delay and resubscribes each channel since its last position', async () => {
    const t = setup({ random: 1 });
    t.live.watch('feed', t.record);
    t.live.watch('title:movie:603', t.record);
    t.live.watch('title:movie:604', t.record);
    t.live.start(LIVE_URL, false);
    const first = await t.open();
    first.receive({ type: 'subscribed', channels: ['feed', 'title:movie:603', 'title:movie:604'], position: position(10) });
    first.receive(update('feed', 11));
    first.receive(update('title:movie:603', 12));

    first.drop();
    expect(t.live.status).toBe('reconnecting');
    expect(t.clock.pending).toEqual([500]);
    await t.clock.advance(499);
    expect(t.sockets).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.sockets).toHaveLength(2);

    // The second try fails too: the wait doubles.
    t.socket().drop();
    expect(t.clock.pending).toEqual([1000]);
    await t.clock.advance(1000);
    const third = await t.open();

    expect(third.sent).toEqual(
      expect.arrayContaining([
        { type: 'subscribe', channels: ['feed'], since: position(11) },
        { type: 'subscribe', channels: ['title:movie:603'], since: position(12) },
        { type: 'subscribe', channels: ['title:movie:604'], since: position(10) },
      ]),
    );
    expect(third.sent).toHaveLength(3);
    expect(t.live.status).toBe('open');

    // A successful open starts the backoff over.
    third.drop();
    expect(t.clock.pending).toEqual([500]);
  });

  it('given jitter, when the socket drops, then the wait is between half and all of the backoff', async () => {
    const t = setup({ random: 0 });
    t.live.start(LIVE_URL, false);
    (await t.open()).drop();

    expect(t.clock.pending).toEqual([250]);
  });

  it('given many failed tries, when the socket keeps dropping, then the wait stops growing at 10 seconds', async () => {
    const t = setup({ random: 1 });
    t.live.start(LIVE_URL, false);
    await t.open();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      t.socket().drop();
      waits.push(t.clock.pending[0]!);
      await t.clock.advance(t.clock.pending[0]!);
    }

    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('given updates delivered before a drop, when the server replays them after the reconnect, then handlers get each position once', async () => {
    const t = setup();
    t.live.watch('feed', t.record);
    t.live.start(LIVE_URL, false);
    const first = await t.open();
    first.receive({ type: 'subscribed', channels: ['feed'], position: position(1) });
    first.receive(update('feed', 2));
    first.receive(update('feed', 3));
    first.drop();
    await t.clock.advance(500);
    const second = await t.open();

    second.receive({ type: 'subscribed', channels: ['feed'], position: position(3) });
    second.receive(update('feed', 3));
    second.receive(update('feed', 4));

    expect(t.events.map((event) => (event.kind === 'update' ? event.update.position : event.kind))).toEqual([
      position(2),
      position(3),
      position(4),
    ]);
  });

  it('given two projections announcing one event on `me`, when both updates arrive, then handlers get both, and a replay of either after a reconnect is dropped', async () => {
    const t = setup();
    t.live.watch('me', t.record);
    t.live.start(LIVE_URL, false);
    const first = await t.open();
    first.receive({ type: 'subscribed', channels: ['me'], position: position(1) });
    const rated: UpdateMessage = {
      type: 'update',
      channel: 'me',
      position: position(2),
      data: { type: 'rating.changed', titleId: 'movie:603', rating: { score: 9, review: null, containsSpoilers: false } },
    };
    const reranked: UpdateMessage = {
      type: 'update',
      channel: 'me',
      position: position(2),
      data: { type: 'recommendations.changed', titleIds: ['movie:604'] },
    };
    first.receive(rated);
    first.receive(reranked);
    first.receive(rated); // the same update twice (NATS after the backfill)
    first.drop();
    await t.clock.advance(500);
    const second = await t.open();
    second.receive({ type: 'subscribed', channels: ['me'], position: position(2) });
    second.receive(reranked);
    second.receive(update('me', 3));

    expect(t.events.map((event) => (event.kind === 'update' ? [event.update.position, event.update.data.type] : event.kind))).toEqual([
      [position(2), 'rating.changed'],
      [position(2), 'recommendations.changed'],
      [position(3), 'title.stats'],
    ]);
  });

  it('given a subscription that starts at a position, when an update at that very position arrives, then it is older than the subscription and dropped', async () => {
    const t = setup();
    t.live.watch('me', t.record);
    t.live.start(LIVE_URL, false);
    const socket = await t.open();
    socket.receive({ type: 'subscribed', channels: ['me'], position: position(5) });
    socket.receive(update('me', 5));
    socket.receive(update('me', 6));
    expect(t.events.map((event) => (event.kind === 'update' ? event.update.position : event.kind))).toEqual([position(6)]);
  });

  it('given a stopped connection, when the old socket would have reconnected, then nothing reconnects and the status is idle', async () => {
    const t = setup();
    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    t.live.stop();
    await t.clock.advance(60_000);

    expect(socket.closedWith).toEqual({ code: 1000, reason: 'bye' });
    expect(t.sockets).toHaveLength(1);
    expect(t.live.status).toBe('idle');
  });

  it('given a channel unwatched while disconnected, when the socket reconnects, then only the still-watched channels are resubscribed', async () => {
    const t = setup();
    t.live.watch('feed', t.record);
    const stop = t.live.watch('me', t.record);
    t.live.start(LIVE_URL, false);
    (await t.open()).drop();

    stop();
    await t.clock.advance(500);
    const second = await t.open();

    expect(second.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given a reconnect is waiting, when the person signs in, then exactly one new socket is opened', async () => {
    const t = setup({ tokens: [token('ann', new FakeClock())] });
    t.live.watch('feed', t.record);
    t.live.start(LIVE_URL, false);
    (await t.open()).drop();
    expect(t.clock.pending).toEqual([500]);

    t.live.start(LIVE_URL, true);
    await t.clock.advance(10_000);

    expect(t.sockets).toHaveLength(2);
  });
});
