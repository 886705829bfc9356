import { LiveClientMessage, compileValidator, type LiveErrorCode, type LiveServerMessage, type SubscribeMessage } from '@reeltime/schemas';
import type { Logger } from 'pino';
import { sql } from 'slonik';
import type { PositionTracker } from '../consistency/positions.ts';
import type { ReadDb } from '../db.ts';
import { resolveChannel, type Channel } from './channels.ts';
import type { LiveHub, LiveReceiver } from './hub.ts';
import { OutgoingUpdate, type LiveUpdate } from './update.ts';

/** Explains a bad message by the branch its `type` names (a long subscribe is "too many channels"). */
const clientMessage = compileValidator(LiveClientMessage);

/** The parts of a `ws` WebSocket a session uses. */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

export type SessionLimits = {
  /** Bytes waiting in the socket (ours and the kernel's) before a client counts as too slow. */
  maxBufferedBytes: number;
  /** Updates held per socket while a backfill runs. */
  maxBufferedUpdates: number;
  /** Rows one backfill sends at most; beyond that the client is told to refetch. */
  maxBackfill: number;
  /** Client messages queued behind a running subscribe. */
  maxPending: number;
};

export const DEFAULT_LIMITS: SessionLimits = { maxBufferedBytes: 1 << 20, maxBufferedUpdates: 5000, maxBackfill: 5000, maxPending: 16 };

export type SessionDeps = {
  db: ReadDb;
  hub: LiveHub;
  tracker: PositionTracker;
  verifyToken: (token: string) => string | undefined;
  log: Logger;
  limits: SessionLimits;
};

type Subscription = {
  channel: Channel;
  /** Position of the last update sent: later copies (NATS after backfill) are skipped. */
  lastSent: string;
  /** Update types already sent at `lastSent`; undefined: everything there counts as sent (a `since`). */
  typesAtLast: Set<string> | undefined;
  /** Set while a backfill runs: live updates wait here so none is lost or overtaken. */
  buffer: OutgoingUpdate[] | undefined;
};

const OPEN = 1;

/**
 * One WebSocket's protocol state. Client messages run one at a time (a subscribe's
 * backfill finishes before the next message is looked at); live updates arrive any time.
 */
export class LiveSession implements LiveReceiver {
  #userId: string | undefined;
  readonly #subscriptions = new Map<string, Subscription>();
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #alive = true;
  #closed = false;

  constructor(
    private readonly socket: LiveSocket,
    private readonly deps: SessionDeps,
  ) {
    deps.hub.connect(this);
  }

  get userId(): string | undefined {
    return this.#userId;
  }

  /** `?token=` of the upgrade request. */
  authenticate(token: string): void {
    const userId = this.deps.verifyToken(token);
    if (userId === undefined) return this.#error('invalid_token', 'The access token is invalid or expired; you are connected anonymously.');
    this.#userId = userId;
    this.#sendMessage({ type: 'authenticated', userId });
  }

  onMessage(raw: string): void {
    if (this.#closed) return;
    if (this.#pending >= this.deps.limits.maxPending)
      return this.#error('bad_request', 'Too many requests in flight; wait for the answers.');
    this.#pending++;
    this.#queue = this.#queue
      .then(() => this.#handle(raw))
      .catch((error: unknown) => {
        this.deps.log.warn({ err: error }, 'live message failed');
        this.#error('unavailable', 'The request could not be served right now; retry it.');
      })
      .finally(() => this.#pending--);
  }

  onPong(): void {
    this.#alive = true;
  }

  onClose(): void {
    this.#closed = true;
    this.deps.hub.disconnect(this, this.#subscriptions.keys());
    this.#subscriptions.clear();
  }

  heartbeat(): void {
    if (!this.#alive) {
      this.socket.terminate();
      return;
    }
    this.#alive = false;
    if (this.socket.readyState === OPEN) this.socket.ping();
  }

  deliver(update: OutgoingUpdate): void {
    const subscription = this.#subscriptions.get(update.update.channel);
    if (!subscription) return;
    if (subscription.buffer) {
      if (subscription.buffer.length >= this.deps.limits.maxBufferedUpdates) return this.#slowConsumer();
      subscription.buffer.push(update);
      return;
    }
    this.#sendUpdate(subscription, update);
  }

  resync(): void {
    if (this.#subscriptions.size === 0 || this.#closed) return;
    this.#queue = this.#queue
      .then(async () => {
        const subscriptions = [...this.#subscriptions.values()];
        const from = subscriptions.reduce((min, s) => (s.lastSent < min ? s.lastSent : min), subscriptions[0]!.lastSent);
        for (const s of subscriptions) s.buffer ??= [];
        await this.#backfill(subscriptions, from);
      })
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'live resync failed'));
  }

  async #handle(raw: string): Promise<void> {
    if (this.#closed) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return this.#error('bad_request', 'Messages must be JSON.');
    }
    if (!clientMessage.Check(message)) {
      const issues = clientMessage.Issues(message).slice(0, 3);
      return this.#error(
        'bad_request',
        `Not a valid message: ${issues.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}.`,
      );
    }
    switch (message.type) {
      case 'auth': {
        const userId = this.deps.verifyToken(message.token);
        if (userId === undefined) return this.#error('invalid_token', 'The access token is invalid or expired.');
        if (this.#userId !== undefined && this.#userId !== userId)
          return this.#error('bad_request', 'This socket is already authenticated as another user.');
        this.#userId = userId;
        return this.#sendMessage({ type: 'authenticated', userId });
      }
      case 'subscribe':
        return this.#subscribe(message);
      case 'unsubscribe': {
        const left: string[] = [];
        for (const client of message.channels) {
          const channel = resolveChannel(client, this.#userId);
          if (channel && this.#subscriptions.delete(channel.internal)) {
            this.deps.hub.leave(channel.internal, this);
          }
          left.push(client);
        }
        return this.#sendMessage({ type: 'unsubscribed', channels: left });
      }
    }
  }

  async #subscribe(message: SubscribeMessage): Promise<void> {
    const { db, hub, tracker } = this.deps;
    const allowed: Channel[] = [];
    const forbidden: string[] = [];
    for (const client of new Set(message.channels)) {
      const channel = resolveChannel(client, this.#userId);
      if (channel && (await this.#mayWatch(channel))) allowed.push(channel);
      else forbidden.push(client);
    }
    if (forbidden.length > 0) {
      this.#error(
        'forbidden',
        'Not allowed: `me` needs authentication; a private list only its owner may watch (or it does not exist).',
        forbidden,
      );
    }
    if (allowed.length === 0 || this.#closed) return;

    // Join first and hold live updates back, then read where the read models are: anything
    // after that position is either already in live_updates (backfill) or still to come over
    // NATS (buffered), and the per-channel lastSent drops whatever arrives both ways.
    const fresh: Subscription[] = [];
    for (const channel of allowed) {
      const existing = this.#subscriptions.get(channel.internal);
      if (existing && message.since === undefined) continue;
      const subscription: Subscription = existing ?? { channel, lastSent: '', typesAtLast: undefined, buffer: undefined };
      subscription.buffer ??= [];
      this.#subscriptions.set(channel.internal, subscription);
      hub.join(channel.internal, this);
      fresh.push(subscription);
    }
    const current = tracker.current(['activity']);
    const start = message.since ?? current;
    for (const subscription of fresh) {
      subscription.lastSent = start;
      subscription.typesAtLast = undefined;
    }
    this.#sendMessage({ type: 'subscribed', channels: allowed.map((c) => c.client), position: start > current ? start : current });
    if (message.since !== undefined && fresh.length > 0) {
      const oldest = await db.any<{ position: string }>(
        sql.unsafe`SELECT position FROM ${db.read.live_updates} ORDER BY created_at LIMIT 1`,
      );
      if (oldest[0] && oldest[0].position > message.since) {
        this.#sendMessage({ type: 'refetch', channels: fresh.map((s) => s.channel.client), reason: 'since_expired' });
      }
    }
    await this.#backfill(fresh, start);
  }

  async #mayWatch(channel: Channel): Promise<boolean> {
    if (channel.kind !== 'list') return true;
    const { db } = this.deps;
    const rows = await db.any<{ owner_id: string; visibility: string }>(
      sql.unsafe`SELECT owner_id, visibility FROM ${db.read.lists} WHERE list_id = ${channel.id!}`,
    );
    const list = rows[0];
    return list !== undefined && (list.visibility === 'public' || list.owner_id === this.#userId);
  }

  /** Sends every logged update after `from` for these (buffering) subscriptions, then their buffers. */
  async #backfill(subscriptions: Subscription[], from: string): Promise<void> {
    if (subscriptions.length === 0) return;
    const { maxBackfill } = this.deps.limits;
    try {
      const { db } = this.deps;
      const channels = subscriptions.map((s) => s.channel.internal);
      const rows = await db.any<LiveUpdate>(
        sql.unsafe`SELECT channel, position, data FROM ${db.read.live_updates}
                    WHERE channel = ANY(${sql.array(channels, 'text')}) AND position > ${from} ORDER BY position LIMIT ${maxBackfill + 1}`,
      );
      if (rows.length > maxBackfill) {
        this.#sendMessage({ type: 'refetch', channels: subscriptions.map((s) => s.channel.client), reason: 'backfill_too_large' });
      }
      for (const row of rows.slice(0, maxBackfill)) {
        const subscription = this.#subscriptions.get(row.channel);
        if (subscription && !this.#closed) this.#sendUpdate(subscription, new OutgoingUpdate(row));
      }
    } finally {
      for (const subscription of subscriptions) {
        const buffered = subscription.buffer ?? [];
        subscription.buffer = undefined;
        for (const update of buffered) {
          if (this.#subscriptions.get(subscription.channel.internal) !== subscription) break;
          this.#sendUpdate(subscription, update);
        }
      }
    }
  }

  #sendUpdate(subscription: Subscription, update: OutgoingUpdate): void {
    const { position, data } = update.update;
    // Two projections may announce one event on one channel (your rating changed, and so did
    // your recommendations): each update type is sent once per position.
    if (position < subscription.lastSent) return;
    if (position === subscription.lastSent && (subscription.typesAtLast === undefined || subscription.typesAtLast.has(data.type))) return;
    if (update.hiddenFrom(this.#userId)) {
      // The list went private: this watcher loses the channel.
      this.#subscriptions.delete(subscription.channel.internal);
      this.deps.hub.leave(subscription.channel.internal, this);
      this.#error('forbidden', 'The list is now private.', [subscription.channel.client]);
      return;
    }
    if (position === subscription.lastSent) subscription.typesAtLast!.add(data.type);
    else subscription.typesAtLast = new Set([data.type]);
    subscription.lastSent = position;
    this.#send(update.text);
  }

  #error(code: LiveErrorCode, message: string, channels?: string[]): void {
    this.#sendMessage({ type: 'error', code, message, ...(channels ? { channels } : {}) });
  }

  #sendMessage(message: LiveServerMessage): void {
    this.#send(JSON.stringify(message));
  }

  #send(text: string): void {
    if (this.#closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) return this.#slowConsumer();
    this.socket.send(text);
  }

  /** A client that does not read is cut off, never allowed to grow our memory. */
  #slowConsumer(): void {
    if (this.#closed) return;
    const message: LiveServerMessage = {
      type: 'error',
      code: 'slow_consumer',
      message: 'You are not reading fast enough; reconnect with `since` to catch up.',
    };
    this.socket.send(JSON.stringify(message));
    this.onClose();
    this.socket.close(4008, 'slow consumer');
    // The close handshake needs the client to read too; do not wait for it for long.
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }
}
