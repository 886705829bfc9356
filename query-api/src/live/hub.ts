import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { SUBJECTS_BY_KIND } from './channels.ts';
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
 * instance runs its own, so each delivers every update to its own sockets.
 */
export class LiveHub {
  readonly #channels = new Map<string, Set<LiveReceiver>>();
  readonly #receivers = new Set<LiveReceiver>();
  readonly #subscriptions: Subscription[] = [];
  #pinger: NodeJS.Timeout | undefined;
  #delivered = 0;

  constructor(
    private readonly log: Logger,
    private readonly pingMs = 30_000,
  ) {}

  start(nats: NatsConnection | undefined, subjectPrefix: string): void {
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
      if (status.type === 'reconnect') {
        this.log.info({ sockets: this.#receivers.size }, 'NATS reconnected: sockets catch up from live_updates');
        for (const receiver of this.#receivers) receiver.resync();
      }
    }
  }

  stop(): void {
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
