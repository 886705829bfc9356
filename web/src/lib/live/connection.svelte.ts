/*
 * The one module that owns the tab's WebSocket to query-api's `/live`. Components subscribe to
 * channels through `watch(channel, handler)`; this module authenticates (a first `auth` message
 * with a short-lived token from the web server, never a token in the URL), re-authenticates
 * before the token expires, reconnects after a drop and resumes every channel with `since` its
 * last position, so no update is lost or repeated.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- only `status` is reactive state; the maps and sets are the socket's bookkeeping, never rendered */
import type { LiveChannel, LiveServerMessage, UpdateMessage } from '@reeltime/schemas/live';

export type LiveUpdate = UpdateMessage;
/** An update to apply, or `refetch` when updates were missed and the data must be read again. */
export type LiveEvent = { kind: 'update'; update: LiveUpdate } | { kind: 'refetch'; channel: LiveChannel };
export type LiveHandler = (event: LiveEvent) => void;
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'reconnecting';

/** What the module needs of a WebSocket (the browser's, or a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type LiveToken = { token: string; expiresAt: number };

export type LiveOptions = {
  createSocket: (url: string) => SocketLike;
  /** A short-lived access token for the `auth` message, or null when signed out. */
  fetchToken: () => Promise<LiveToken | null>;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
};

const OPEN = 1;
/** Re-authenticate this long before the token expires. */
const REAUTH_MARGIN_MS = 60_000;
const MAX_BACKOFF_MS = 10_000;

export class LiveConnection {
  status = $state<LiveStatus>('idle');
  readonly #handlers = new Map<LiveChannel, Set<LiveHandler>>();
  /** Last position delivered per channel: where a resumed subscription starts. */
  readonly #positions = new Map<LiveChannel, string>();
  /**
   * Update types delivered at that position. Two projections may announce one event on one
   * channel (on `me`, your rating changed and so did your recommendations), so a position alone
   * does not say an update was seen. Absent: the position came from `subscribed`, so all there is
   * older than the subscription.
   */
  readonly #typesAtLast = new Map<LiveChannel, Set<string>>();
  /** Channels the server refused (`me` before the socket was authenticated): asked again after `authenticated`. */
  readonly #refused = new Set<LiveChannel>();
  #socket: SocketLike | null = null;
  #attempt = 0;
  #reconnectTimer: unknown = null;
  #reauthTimer: unknown = null;
  #stopped = true;
  #signedIn = false;
  #url = '';
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  readonly #random: () => number;

  constructor(private readonly options: LiveOptions) {
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#random = options.random ?? Math.random;
  }

  /**
   * Opens the socket to `url` (once; watching works before and after); `signedIn` says whether
   * to authenticate.
   */
  start(url: string, signedIn: boolean): void {
    const changed = signedIn !== this.#signedIn || url !== this.#url;
    this.#signedIn = signedIn;
    this.#url = url;
    if (!this.#stopped && !changed) return;
    this.#stopped = false;
    if (changed && this.#socket) {
      // Signed in or out in this tab: start over so the socket speaks for the right person.
      this.#socket.onclose = null;
      this.#socket.close(1000, 'session changed');
      this.#socket = null;
    }
    this.#clearTimer(this.#reconnectTimer); // a reconnect already waiting would open a second socket
    if (!this.#socket) this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer(this.#reconnectTimer);
    this.#clearTimer(this.#reauthTimer);
    if (this.#socket) {
      this.#socket.onclose = null;
      this.#socket.close(1000, 'bye');
      this.#socket = null;
    }
    this.status = 'idle';
  }

  /** Calls `handler` for every update on `channel` until the returned function is called. */
  watch(channel: LiveChannel, handler: LiveHandler): () => void {
    let handlers = this.#handlers.get(channel);
    const first = !handlers;
    if (!handlers) this.#handlers.set(channel, (handlers = new Set()));
    handlers.add(handler);
    if (first && this.#isOpen()) this.#send({ type: 'subscribe', channels: [channel] });
    return () => {
      const current = this.#handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.#handlers.delete(channel);
      this.#positions.delete(channel);
      this.#typesAtLast.delete(channel);
      if (this.#isOpen()) this.#send({ type: 'unsubscribe', channels: [channel] });
    };
  }

  #isOpen(): boolean {
    return this.#socket?.readyState === OPEN && this.status === 'open';
  }

  #send(message: unknown): void {
    this.#socket?.send(JSON.stringify(message));
  }

  #connect(): void {
    this.status = this.#attempt === 0 ? 'connecting' : 'reconnecting';
    this.#refused.clear(); // a new socket subscribes every watched channel anew
    const socket = this.options.createSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => void this.#opened(socket);
    socket.onmessage = (event) => this.#received(event.data);
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#clearTimer(this.#reauthTimer);
      if (this.#stopped) return;
      this.status = 'reconnecting';
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt) * (0.5 + this.#random() / 2);
      this.#attempt++;
      this.#reconnectTimer = this.#setTimer(() => this.#connect(), backoff);
    };
  }

  async #opened(socket: SocketLike): Promise<void> {
    if (this.#signedIn) await this.#authenticate(socket);
    if (this.#socket !== socket || socket.readyState !== OPEN) return;
    this.#attempt = 0;
    this.status = 'open';
    this.#resubscribe();
  }

  async #authenticate(socket: SocketLike): Promise<void> {
    let token: LiveToken | null;
    try {
      token = await this.options.fetchToken();
    } catch {
      // The web server is unreachable: stay anonymous now and try again shortly.
      this.#scheduleReauth(socket, this.#now() + REAUTH_MARGIN_MS + 5_000);
      return;
    }
    if (!token || this.#socket !== socket || socket.readyState !== OPEN) return;
    socket.send(JSON.stringify({ type: 'auth', token: token.token }));
    this.#scheduleReauth(socket, token.expiresAt);
  }

  #scheduleReauth(socket: SocketLike, expiresAt: number): void {
    this.#clearTimer(this.#reauthTimer);
    const wait = Math.max(5_000, expiresAt - REAUTH_MARGIN_MS - this.#now());
    this.#reauthTimer = this.#setTimer(() => void this.#authenticate(socket), wait);
  }

  /** Subscribes every watched channel, grouped by where each left off. */
  #resubscribe(): void {
    const groups = new Map<string, LiveChannel[]>();
    for (const channel of this.#handlers.keys()) {
      const since = this.#positions.get(channel) ?? '';
      groups.set(since, [...(groups.get(since) ?? []), channel]);
    }
    for (const [since, channels] of groups) this.#send(since ? { type: 'subscribe', channels, since } : { type: 'subscribe', channels });
  }

  #received(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: LiveServerMessage;
    try {
      message = JSON.parse(raw) as LiveServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'subscribed':
        for (const channel of message.channels) if (!this.#positions.has(channel)) this.#positions.set(channel, message.position);
        return;
      case 'update': {
        const { channel, position, data } = message;
        const last = this.#positions.get(channel);
        const types = this.#typesAtLast.get(channel);
        // Already delivered (the server replays after a reconnect), or older than the subscription.
        if (last && (position < last || (position === last && (types === undefined || types.has(data.type))))) return;
        if (position === last) types!.add(data.type);
        else this.#typesAtLast.set(channel, new Set([data.type]));
        this.#positions.set(channel, position);
        this.#dispatch(channel, { kind: 'update', update: message });
        return;
      }
      case 'refetch':
        for (const channel of message.channels) this.#dispatch(channel, { kind: 'refetch', channel });
        return;
      case 'authenticated': {
        // A channel refused while anonymous (the token fetch failed at open) is allowed now.
        const retry = [...this.#refused].filter((channel) => this.#handlers.has(channel));
        this.#refused.clear();
        if (retry.length > 0) this.#send({ type: 'subscribe', channels: retry });
        return;
      }
      case 'unsubscribed':
        return;
      case 'error':
        if (message.code === 'invalid_token') this.#clearTimer(this.#reauthTimer);
        if (message.code === 'forbidden') for (const channel of message.channels ?? []) this.#refused.add(channel as LiveChannel);
        return;
      default: {
        const never: never = message;
        return void never;
      }
    }
  }

  #dispatch(channel: LiveChannel, event: LiveEvent): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(event);
      } catch (error) {
        console.error('live handler failed', error);
      }
    }
  }
}
