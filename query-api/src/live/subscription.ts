import type { Channel } from './channels.ts';
import type { OutgoingUpdate } from './update.ts';

/** One channel a socket watches, and what it was already sent there. */
export type Subscription = {
  channel: Channel;
  /** Position of the last update sent: later copies (NATS after backfill) are skipped. */
  lastSent: string;
  /** Update types already sent at `lastSent`; undefined: everything there counts as sent (a `since`). */
  typesAtLast: Set<string> | undefined;
  /** Set while a backfill runs: live updates wait here so none is lost or overtaken. */
  buffer: OutgoingUpdate[] | undefined;
};

/**
 * Whether `update` is new to this subscription. Two projections may announce one event on one
 * channel (your rating changed, and so did your recommendations): each update type is sent
 * once per position, and nothing before the last position sent.
 */
export function isNew(subscription: Subscription, update: OutgoingUpdate): boolean {
  const { position, data } = update.update;
  if (position < subscription.lastSent) return false;
  return position !== subscription.lastSent || (subscription.typesAtLast !== undefined && !subscription.typesAtLast.has(data.type));
}

/** Notes `update` as sent. */
export function markSent(subscription: Subscription, update: OutgoingUpdate): void {
  const { position, data } = update.update;
  if (position === subscription.lastSent) subscription.typesAtLast!.add(data.type);
  else subscription.typesAtLast = new Set([data.type]);
  subscription.lastSent = position;
}
