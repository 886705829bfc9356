import { describe, expect, it } from 'vitest';
import { FakeClock, LIVE_URL, setup, token } from './connection.testing.ts';

/*
 * LiveConnection, opening the socket: auth first, then the subscribe; a new socket when the person signs in.
 * The fake socket and clock are in connection.testing.ts.
 */

describe('LiveConnection: opening', () => {
  it('given a signed-in tab, when the socket opens, then the first message is auth with the fetched token, then the subscribe', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('ann', clock)] });
    t.live.watch('feed', t.record);
    t.live.watch('me', t.record);

    t.live.start(LIVE_URL, true);
    expect(t.live.status).toBe('connecting');
    const socket = await t.open();

    expect(socket.url).toBe(LIVE_URL);
    expect(socket.sent).toEqual([
      { type: 'auth', token: 'token-ann' },
      { type: 'subscribe', channels: ['feed', 'me'] },
    ]);
    expect(t.live.status).toBe('open');
  });

  it('given a signed-out tab, when the socket opens, then no token is fetched and it only subscribes', async () => {
    const t = setup();
    t.live.watch('feed', t.record);

    t.live.start(LIVE_URL, false);
    const socket = await t.open();

    expect(t.tokenFetches()).toBe(0);
    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given a started connection, when start is called again for the same person, then no second socket is opened', async () => {
    const t = setup();
    t.live.start(LIVE_URL, false);
    await t.open();

    t.live.start(LIVE_URL, false);

    expect(t.sockets).toHaveLength(1);
  });

  it('given an open anonymous socket, when the person signs in, then the old socket is closed and a new one authenticates and resubscribes', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('ann', clock)] });
    t.live.watch('feed', t.record);
    t.live.start(LIVE_URL, false);
    const anonymous = await t.open();

    t.live.start(LIVE_URL, true);
    const signedIn = await t.open();

    expect(anonymous.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
    expect(anonymous.closedWith).toEqual({ code: 1000, reason: 'session changed' });
    expect(signedIn.sent).toEqual([
      { type: 'auth', token: 'token-ann' },
      { type: 'subscribe', channels: ['feed'] },
    ]);
  });
});
