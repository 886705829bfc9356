import type { LiveErrorCode, LiveServerMessage, SubscribeMessage } from '@reeltime/schemas';
import type { Logger } from 'pino';
import type { PositionTracker } from '../consistency/positions.ts';
import type { ReadDb } from '../db.ts';
import { resolveChannel, type Channel } from './channels.ts';
import type { LiveHub, LiveReceiver } from './hub.ts';
import { loggedUpdates, mayWatch, oldestLoggedPosition } from './log-reads.ts';
import { parseClientMessage } from './messages.ts';
import { Outbox, type LiveSocket, type SessionLimits } from './outbox.ts';
import { isNew, markSent, type Subscription } from './subscription.ts';
import { OutgoingUpdate } from './update.ts';

export type SessionDeps = {
  db: ReadDb;
  hub: LiveHub;
  tracker: PositionTracker;
  verifyToken: (token: string) => string | undefined;
  log: Logger;
  limits: SessionLimits;
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
  readonly #outbox: Outbox;

  constructor(
    private readonly socket: LiveSocket,
    private readonly deps: SessionDeps,
  ) {
    this.#outbox = new Outbox(socket, deps.limits.maxBufferedBytes, () => this.onClose());
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
    this.#outbox.close();
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
      if (subscription.buffer.length >= this.deps.limits.maxBufferedUpdates) return this.#outbox.cutOff();
      subscription.buffer.push(update);
      return;
    }
    this.#sendUpdate(subscription, update);
  }

  async #handle(raw: string): Promise<void> {
    if (this.#closed) return;
    const parsed = parseClientMessage(raw);
    if ('problem' in parsed) return this.#error('bad_request', parsed.problem);
    const { message } = parsed;
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
      if (channel && (await mayWatch(db, channel, this.#userId))) allowed.push(channel);
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
      const oldest = await oldestLoggedPosition(db);
      if (oldest !== undefined && oldest > message.since) {
        this.#sendMessage({ type: 'refetch', channels: fresh.map((s) => s.channel.client), reason: 'since_expired' });
      }
    }
    await this.#backfill(fresh, start);
  }

  /** Sends every logged update after `from` for these (buffering) subscriptions, then their buffers. */
  async #backfill(subscriptions: Subscription[], from: string): Promise<void> {
    if (subscriptions.length === 0) return;
    const { maxBackfill } = this.deps.limits;
    try {
      const channels = subscriptions.map((s) => s.channel.internal);
      const rows = await loggedUpdates(this.deps.db, channels, from, maxBackfill + 1);
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
    if (!isNew(subscription, update)) return;
    if (update.hiddenFrom(this.#userId)) {
      // The list went private: this watcher loses the channel.
      this.#subscriptions.delete(subscription.channel.internal);
      this.deps.hub.leave(subscription.channel.internal, this);
      this.#error('forbidden', 'The list is now private.', [subscription.channel.client]);
      return;
    }
    markSent(subscription, update);
    this.#outbox.send(update.text);
  }

  #error(code: LiveErrorCode, message: string, channels?: string[]): void {
    this.#sendMessage({ type: 'error', code, message, ...(channels ? { channels } : {}) });
  }

  #sendMessage(message: LiveServerMessage): void {
    this.#outbox.send(JSON.stringify(message));
  }
}
