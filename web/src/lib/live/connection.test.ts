import type { LiveChannel, LiveClientMessage, LiveServerMessage, UpdateMessage } from '@reeltime/schemas/live';
import { describe, expect, it } from 'vitest';
import { LiveConnection, type LiveEvent, type LiveToken, type SocketLike } from './connection.svelte.ts';

/*
 * LiveConnection against a fake WebSocket and a hand-driven clock: the test plays the server
 * (opens, answers, drops the socket) and moves time; the connection under test is the real one.
 */

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** A WebSocket stand-in: records what the client sends; the test plays the server. */
class FakeSocket implements SocketLike {
  readyState = CONNECTING;
  readonly sent: LiveClientMessage[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error(`send on a socket in state ${this.readyState}`);
    this.sent.push(JSON.parse(data) as LiveClientMessage);
  }
  close(code?: number, reason?: string): void {
    this.readyState = CLOSED;
    this.closedWith = { code, reason };
  }

  // ---- the server's side ----
  open(): void {
    this.readyState = OPEN;
    this.onopen?.(new Event('open'));
  }
  receive(message: LiveServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  drop(code = 1006): void {
    this.readyState = CLOSED;
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }
}

/** Timers that run only when the test moves the clock. */
class FakeClock {
  time = 1_700_000_000_000;
  #next = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimer = (fn: () => void, ms: number): unknown => {
    const handle = this.#next++;
    this.#timers.set(handle, { at: this.time + ms, fn });
    return handle;
  };
  clearTimer = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };
  get pending(): number[] {
    return [...this.#timers.values()].map((timer) => timer.at - this.time).sort((a, b) => a - b);
  }
  /** Moves the clock, running every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
      await settle();
    }
    this.time = end;
  }
}

/** Lets pending promise callbacks (the token fetch, the auth before subscribing) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const URL_ = 'ws://127.0.0.1:4002/live';
const position = (n: number) => `${String(1).padStart(20, '0')}-${String(n).padStart(20, '0')}`;

function update(channel: LiveChannel, n: number): UpdateMessage {
  return {
    type: 'update',
    channel,
    position: position(n),
    data: {
      type: 'title.stats',
      titleId: 'movie:603',
      stats: { ratingCount: n, averageScore: 8, watchedCount: 0, listCount: 0 },
    } as unknown as UpdateMessage['data'],
  };
}

function setup(options: { tokens?: (LiveToken | null | Error)[]; random?: number } = {}) {
  const clock = new FakeClock();
  const sockets: FakeSocket[] = [];
  const tokens = [...(options.tokens ?? [])];
  let tokenFetches = 0;
  const live = new LiveConnection({
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    fetchToken: async () => {
      tokenFetches++;
      const next = tokens.shift() ?? null;
      if (next instanceof Error) throw next;
      return next;
    },
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => options.random ?? 1,
  });
  const events: LiveEvent[] = [];
  const record = (event: LiveEvent) => events.push(event);
  return {
    live,
    clock,
    sockets,
    events,
    record,
    socket: () => sockets.at(-1)!,
    tokenFetches: () => tokenFetches,
    /** Opens the latest socket and lets the client authenticate and subscribe. */
    async open(): Promise<FakeSocket> {
      const socket = sockets.at(-1)!;
      socket.open();
      await settle();
      return socket;
    },
  };
}

const token = (name: string, clock: FakeClock, ttlMs = 15 * 60_000): LiveToken => ({
  token: `token-${name}`,
  expiresAt: clock.time + ttlMs,
});

describe('LiveConnection: opening', () => {
  it('given a signed-in tab, when the socket opens, then the first message is auth with the fetched token, then the subscribe', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('ann', clock)] });
    t.live.watch('feed', t.record);
    t.live.watch('me', t.record);

    t.live.start(URL_, true);
    expect(t.live.status).toBe('connecting');
    const socket = await t.open();

    expect(socket.url).toBe(URL_);
    expect(socket.sent).toEqual([
      { type: 'auth', token: 'token-ann' },
      { type: 'subscribe', channels: ['feed', 'me'] },
    ]);
    expect(t.live.status).toBe('open');
  });

  it('given a signed-out tab, when the socket opens, then no token is fetched and it only subscribes', async () => {
    const t = setup();
    t.live.watch('feed', t.record);

    t.live.start(URL_, false);
    const socket = await t.open();

    expect(t.tokenFetches()).toBe(0);
    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given a started connection, when start is called again for the same person, then no second socket is opened', async () => {
    const t = setup();
    t.live.start(URL_, false);
    await t.open();

    t.live.start(URL_, false);

    expect(t.sockets).toHaveLength(1);
  });

  it('given an open anonymous socket, when the person signs in, then the old socket is closed and a new one authenticates and resubscribes', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('ann', clock)] });
    t.live.watch('feed', t.record);
    t.live.start(URL_, false);
    const anonymous = await t.open();

    t.live.start(URL_, true);
    const signedIn = await t.open();

    expect(anonymous.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
    expect(anonymous.closedWith).toEqual({ code: 1000, reason: 'session changed' });
    expect(signedIn.sent).toEqual([
      { type: 'auth', token: 'token-ann' },
      { type: 'subscribe', channels: ['feed'] },
    ]);
  });
});

describe('LiveConnection: watching', () => {
  it('given an open socket, when two handlers watch one channel and then both stop, then subscribe and unsubscribe are each sent once', async () => {
    const t = setup();
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);

    const socket = await t.open();

    expect(socket.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given watched channels, when updates arrive, then each goes to the handlers of its channel only', async () => {
    const t = setup();
    const feed: LiveEvent[] = [];
    const title: LiveEvent[] = [];
    t.live.watch('feed', (event) => feed.push(event));
    t.live.watch('title:movie:603', (event) => title.push(event));
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
    const socket = await t.open();

    socket.receive({ type: 'refetch', channels: ['feed'], reason: 'since_expired' });

    expect(t.events).toEqual([{ kind: 'refetch', channel: 'feed' }]);
  });

  it('given garbage from the server, when it arrives, then it is ignored', async () => {
    const t = setup();
    t.live.watch('feed', t.record);
    t.live.start(URL_, false);
    const socket = await t.open();

    socket.onmessage?.({ data: 'not json' } as MessageEvent);
    socket.onmessage?.({ data: new ArrayBuffer(2) } as MessageEvent);

    expect(t.events).toEqual([]);
  });
});

describe('LiveConnection: reconnecting', () => {
  it('given a dropped socket, when the backoff passes, then it reconnects with a growing delay and resubscribes each channel since its last position', async () => {
    const t = setup({ random: 1 });
    t.live.watch('feed', t.record);
    t.live.watch('title:movie:603', t.record);
    t.live.watch('title:movie:604', t.record);
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
    (await t.open()).drop();

    expect(t.clock.pending).toEqual([250]);
  });

  it('given many failed tries, when the socket keeps dropping, then the wait stops growing at 10 seconds', async () => {
    const t = setup({ random: 1 });
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
    const socket = await t.open();
    socket.receive({ type: 'subscribed', channels: ['me'], position: position(5) });
    socket.receive(update('me', 5));
    socket.receive(update('me', 6));
    expect(t.events.map((event) => (event.kind === 'update' ? event.update.position : event.kind))).toEqual([position(6)]);
  });

  it('given a stopped connection, when the old socket would have reconnected, then nothing reconnects and the status is idle', async () => {
    const t = setup();
    t.live.start(URL_, false);
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
    t.live.start(URL_, false);
    (await t.open()).drop();

    stop();
    await t.clock.advance(500);
    const second = await t.open();

    expect(second.sent).toEqual([{ type: 'subscribe', channels: ['feed'] }]);
  });

  it('given a reconnect is waiting, when the person signs in, then exactly one new socket is opened', async () => {
    const t = setup({ tokens: [token('ann', new FakeClock())] });
    t.live.watch('feed', t.record);
    t.live.start(URL_, false);
    (await t.open()).drop();
    expect(t.clock.pending).toEqual([500]);

    t.live.start(URL_, true);
    await t.clock.advance(10_000);

    expect(t.sockets).toHaveLength(2);
  });
});

describe('LiveConnection: authentication', () => {
  it('given a token that expires in 15 minutes, when 14 minutes pass, then a fresh token is sent on the same socket', async () => {
    const clock = new FakeClock();
    const t = setup({ tokens: [token('first', clock), token('second', clock, 30 * 60_000)] });
    t.clock.time = clock.time;
    t.live.watch('me', t.record);
    t.live.start(URL_, true);
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
    t.live.start(URL_, true);
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
    t.live.start(URL_, true);
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
    t.live.start(URL_, true);
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
    live.start(URL_, true);
    sockets[0]!.open();
    sockets[0]!.drop();

    release(token('late', clock));
    await settle();

    expect(sockets[0]!.sent).toEqual([]);
    expect(live.status).toBe('reconnecting');
  });
});
