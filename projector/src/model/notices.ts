import type { LiveUpdateData } from '@reeltime/schemas';

/**
 * A live notice: one row of `read.live_updates` and, after the commit, one NATS message.
 * `data` is the `data` of the WebSocket's `update` message (schema `LiveUpdateData`).
 */
export type Notice = { channel: string; position: string; data: LiveUpdateData };

export const channels = {
  feed: 'feed',
  me: (userId: string) => `me.${userId}`,
  title: (titleId: string) => `title.${titleId}`,
  list: (listId: string) => `list.${listId}`,
} as const;

/** Where and when an event happened: what a notice, and a read model row's provenance, need of it. */
export type At = { position: string; occurredAt: string };

/**
 * Notices of one batch. One per (channel, event): a later note for the same pair replaces
 * the earlier one, so a channel gets the state after the whole event.
 */
export class Notices {
  readonly #byKey = new Map<string, Notice>();
  #enabled: (occurredAt: string) => boolean;
  // An event notes several channels in a row: the answer for its time is kept.
  #lastAt: string | undefined;
  #lastEnabled = false;

  /** `enabled` says whether an event is recent enough to be worth a notice (retention). */
  constructor(enabled: (occurredAt: string) => boolean = () => true) {
    this.#enabled = enabled;
  }

  /** `data` is only built for an event recent enough (a rebuild passes over years of events). */
  note(event: At, channel: string, data: () => LiveUpdateData): void {
    if (!this.#isEnabled(event.occurredAt)) return;
    this.#byKey.set(`${channel}\u0000${event.position}`, { channel, position: event.position, data: data() });
  }

  #isEnabled(occurredAt: string): boolean {
    if (occurredAt !== this.#lastAt) {
      this.#lastAt = occurredAt;
      this.#lastEnabled = this.#enabled(occurredAt);
    }
    return this.#lastEnabled;
  }

  list(): Notice[] {
    return [...this.#byKey.values()];
  }
}
