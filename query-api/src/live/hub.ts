import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { ReadDb } from '../db.ts';
import { SUBJECTS_BY_KIND } from './channels.ts';
import { DEFAULT_LOG_POLLER, LiveLogPoller, type LogPollerOptions } from './log-poller.ts';
import { OutgoingUpdate, isLiveUpdate, type LiveUpdate } from './update.ts';

/** What the hub needs of a socket's session. */
export interface LiveReceiver {
  deliver(update: OutgoingUpdate): void;
  /** Liveness: false = no pong since the last ping. */
  heartbeat(): void;
}

/** The sequence fields of the projector's `PublishedUpdate` (older publishers send none). */
type Sequenced = { stream?: unknown; seq?: unknown };

/**
 * Fan-out of the projector's notices to this process's sockets. Four NATS subscriptions in
 * all (one per channel kind), and an in-memory map channel → receivers; every query-api
 * instance runs its own, so each delivers every update to its own sockets. NATS is the fast
 * path, not the only one: the hub also reads the live-update log (LiveLogPoller), every
 * 200 ms while NATS is away and every second while it is up, so updates keep arriving.
 *
 * A session drops what is older than what it last sent on a channel, so an update NATS lost
 * must reach it before any newer one. The projector numbers its updates per process
 * (`stream`, `seq`): when a number is skipped, or a stream is new (a projector started, or this
 * instance missed its beginning), or NATS comes back, the hub holds NATS's updates back, reads
 * the log up to now (the missed ones are in it: the projector publishes after committing),
 * and only then passes the held ones on, in order.
 */
export class LiveHub {
  readonly #channels = new Map<string, Set<LiveReceiver>>();
  readonly #receivers = new Set<LiveReceiver>();
  readonly #subscriptions: Subscription[] = [];
  #pinger: NodeJS.Timeout | undefined;
  #delivered = 0;
  readonly #poller: LiveLogPoller | undefined;
  #stopped = false;
  /** The last `seq` seen of each projector's stream. */
  readonly #seqs = new Map<string, number>();
  /** Set while the log is read after a gap: NATS's updates wait here, in order. */
  #held: OutgoingUpdate[] | undefined;

  constructor(
    private readonly log: Logger,
    private readonly pingMs = 30_000,
    db?: ReadDb,
    pollerOptions: LogPollerOptions = DEFAULT_LOG_POLLER,
  ) {
    this.#poller =
      db &&
      new LiveLogPoller(
        db,
        log,
        () => [...this.#channels.keys()],
        (update) => this.route(new OutgoingUpdate(update)),
        pollerOptions,
      );
  }

  /** `from`: each projection's position when this instance starts (the log is read after it). */
  start(nats: NatsConnection | undefined, subjectPrefix: string, from: (projection: string) => string): void {
    if (this.#poller) {
      this.#poller.fast = nats === undefined;
      this.#poller.start(from);
    }
    if (nats) {
      for (const subject of Object.values(SUBJECTS_BY_KIND)) {
        this.#subscriptions.push(
          nats.subscribe(`${subjectPrefix}.${subject}`, {
            callback: (error, message) => {
              if (error) return;
              let body: unknown;
              try {
                body = message.json();
              } catch {
                return;
              }
              if (isLiveUpdate(body)) this.#fromNats(body);
            },
          }),
        );
      }
      void this.#watchReconnects(nats);
    }
    this.#pinger = setInterval(() => {
      for (const receiver of this.#receivers) receiver.heartbeat();
    }, this.pingMs);
    this.#pinger.unref();
  }

  async #watchReconnects(nats: NatsConnection): Promise<void> {
    for await (const status of nats.status()) {
      if (this.#stopped) return;
      if (status.type === 'disconnect') {
        this.log.warn(
          { sockets: this.#receivers.size, nats: status.data },
          'NATS connection lost: live updates come from live_updates until it is back',
        );
        if (this.#poller) this.#poller.fast = true;
      } else if (status.type === 'reconnect') {
        if (this.#poller) this.#poller.fast = false;
        this.log.info({ sockets: this.#receivers.size, nats: status.data }, 'NATS reconnected: sockets catch up from live_updates');
        this.#catchUp();
      }
    }
  }

  #fromNats(body: LiveUpdate & Sequenced): void {
    const update = new OutgoingUpdate(body);
    const { stream, seq } = body;
    if (typeof stream === 'string' && typeof seq === 'number') {
      const last = this.#seqs.get(stream);
      this.#seqs.set(stream, seq);
      if (last === undefined || seq !== last + 1) this.#catchUp();
    }
    if (this.#held) this.#held.push(update);
    else this.route(update);
  }

  /** Holds NATS's updates back until the log has been read up to now (see the class comment). */
  #catchUp(): void {
    if (!this.#poller || this.#held) return;
    this.#held = [];
    void this.#poller.catchUp().finally(() => {
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const update of held) this.route(update);
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#poller?.stop();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    clearInterval(this.#pinger);
  }

  connect(receiver: LiveReceiver): void {
    this.#receivers.add(receiver);
  }

  disconnect(receiver: LiveReceiver, channels: Iterable<string>): void {
    this.#receivers.delete(receiver);
    for (const channel of channels) this.leave(channel, receiver);
  }

  join(channel: string, receiver: LiveReceiver): void {
    let set = this.#channels.get(channel);
    if (!set) this.#channels.set(channel, (set = new Set()));
    set.add(receiver);
  }

  leave(channel: string, receiver: LiveReceiver): void {
    const set = this.#channels.get(channel);
    if (!set) return;
    set.delete(receiver);
    if (set.size === 0) this.#channels.delete(channel);
  }

  route(update: OutgoingUpdate): void {
    const receivers = this.#channels.get(update.update.channel);
    if (!receivers) return;
    for (const receiver of receivers) {
      this.#delivered++;
      receiver.deliver(update);
    }
  }

  get stats(): { sockets: number; channels: number; delivered: number } {
    return { sockets: this.#receivers.size, channels: this.#channels.size, delivered: this.#delivered };
  }
}
