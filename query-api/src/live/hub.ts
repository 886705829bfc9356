import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { ReadDb } from '../db.ts';
import { SUBJECTS_BY_KIND } from './channels.ts';
import { DEFAULT_LOG_POLLER, LiveLogPoller, type LogPollerOptions } from './log-poller.ts';
import { OutgoingUpdate, isLiveUpdate } from './update.ts';

/** What the hub needs of a socket's session. */
export interface LiveReceiver {
  deliver(update: OutgoingUpdate): void;
  /** NATS was away: messages may be lost, so catch up from the backfill log. */
  resync(): void;
  /** Liveness: false = no pong since the last ping. */
  heartbeat(): void;
}

/**
 * Fan-out of the projector's notices to this process's sockets. Four NATS subscriptions in
 * all (one per channel kind), and an in-memory map channel → receivers; every query-api
 * instance runs its own, so each delivers every update to its own sockets. NATS is the fast
 * path, not the only one: the hub also reads the live-update log (LiveLogPoller), every
 * 200 ms while NATS is away and every second while it is up, so updates keep arriving.
 */
export class LiveHub {
  readonly #channels = new Map<string, Set<LiveReceiver>>();
  readonly #receivers = new Set<LiveReceiver>();
  readonly #subscriptions: Subscription[] = [];
  #pinger: NodeJS.Timeout | undefined;
  #delivered = 0;
  readonly #poller: LiveLogPoller | undefined;
  #stopped = false;

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
              if (isLiveUpdate(body)) this.route(new OutgoingUpdate(body));
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
        for (const receiver of this.#receivers) receiver.resync();
      }
    }
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
