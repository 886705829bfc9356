import { describe, expect, it } from 'vitest';
import { LiveConnection, type LiveToken } from './connection.svelte.ts';
import { FakeClock, FakeSocket, LIVE_URL, settle, setup, token } from './connection.testing.ts';

/*
 * LiveConnection, authentication: the token sent first, renewed before it expires, retried when the fetch fails.
 * The fake socket and clock are in connection.testing.ts.
 */

describe('LiveConnection: authentication', () => {
  it('given a token that expires in 15 minutes, when 14 minutes pass, then a fresh token is sent on the same socket', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('first', clock), token('second', clock, 30 * 60_000)] });
    t.clock.time = clock.time;
    t.live.watch('me', t.record);
    t.live.start(LIVE_URL, true);
    const socket = await t.open();

    await t.clock.advance(14 * 60_000 - 1);
    expect(socket.sent.filter((m) => m.type === 'auth')).toHaveLength(1);
    await t.clock.advance(1);

    expect(socket.sent.filter((m) => m.type === 'auth')).toEqual([
      { type: 'auth', token: 'token-first' },
      { type: 'auth', token: 'token-second' },
    ]);
    expect(t.sockets).toHaveLength(1);
  });

  it('given the web server cannot give a token, when the socket opens, then it subscribes anonymously and asks again five seconds later', async () => {
    const t = setup({ tokens: [new Error('offline')] });
    t.live.watch('feed', t.record);
    t.live.start(LIVE_URL, true);
    const socket = await t.open();
    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);

    await t.clock.advance(5_000);

    expect(t.tokenFetches()).toBe(2);
  });

  it('given the token fetch failed at open so `me` was refused, when a later re-auth succeeds, then `me` is subscribed again', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [new Error('offline'), token('late', clock, 60 * 60_000)] });
    t.clock.time = clock.time;
    t.live.watch('me', t.record);
    t.live.start(LIVE_URL, true);
    const socket = await t.open();
    socket.receive({ type: 'error', code: 'forbidden', message: 'Not allowed: `me` needs authentication', channels: ['me'] });

    await t.clock.advance(5_000);
    socket.receive({ type: 'authenticated', userId: 'user-ann' });

    expect(socket.sent.at(-2)).toEqual({ type: 'auth', token: 'token-late' });
    expect(socket.sent.at(-1)).toEqual({ type: 'subscribe', channels: ['me'] });
  });

  it('given the server rejects the token, when the re-auth time comes, then no re-auth is attempted on that socket', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('bad', clock)] });
    t.clock.time = clock.time;
    t.live.start(LIVE_URL, true);
    const socket = await t.open();

    socket.receive({ type: 'error', code: 'invalid_token', message: 'The access token is invalid or expired.' });
    await t.clock.advance(30 * 60_000);

    expect(t.tokenFetches()).toBe(1);
  });

  it('given a socket that closes while the token is being fetched, when the token arrives, then nothing is sent on the closed socket', async () => {
    let release: (token: LiveToken) => void = () => {};
    const clock = new FakeClock();
    const sockets: FakeSocket[] = [];
    const live = new LiveConnection({
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      fetchToken: () => new Promise((resolve) => (release = resolve)),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 1,
    });
    live.watch('feed', () => {});
    live.start(LIVE_URL, true);
    sockets[0]!.open();
    sockets[0]!.drop();

    release(token('late', clock));
    await settle();

    expect(sockets[0]!.sent).toEqual([]);
    expect(live.status).toBe('reconnecting');
  });
});
