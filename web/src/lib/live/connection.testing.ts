import type { LiveChannel, LiveClientMessage, LiveServerMessage, UpdateMessage } from '@reeltime/schemas/live';
import { LiveConnection, type LiveEvent, type LiveToken, type SocketLike } from './connection.svelte.ts';

/*
 * What the connection.*.test.ts files share: LiveConnection against a fake WebSocket and a
 * hand-driven clock. The test plays the server (opens, answers, drops the socket) and moves
 * time; the connection under test is the real one.
 */

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** A WebSocket stand-in: records what the client sends; the test plays the server. */
export class FakeSocket implements SocketLike {
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
export class FakeClock {
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
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export const LIVE_URL = 'ws://127.0.0.1:4002/live';
export const position = (n: number) => `${String(1).padStart(20, '0')}-${String(n).padStart(20, '0')}`;

export function update(channel: LiveChannel, n: number): UpdateMessage {
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

export function setup(options: { tokens?: (LiveToken | null | Error)[]; random?: number } = {}) {
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

export const token = (name: string, clock: FakeClock, ttlMs = 15 * 60_000): LiveToken => ({
  token: `token-${name}`,
  expiresAt: clock.time + ttlMs,
});
