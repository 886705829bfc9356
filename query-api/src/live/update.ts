import type { LiveUpdateData, UpdateMessage } from '@reeltime/schemas';
import { clientName } from './channels.ts';

/**
 * One row of `read.live_updates` / one NATS notice. `data` is the projector's notice as is
 * (schema `LiveUpdateData`; the projector's tests hold it to that schema).
 */
export type LiveUpdate = { channel: string; position: string; data: LiveUpdateData };

/** An update and its wire form, built once however many sockets receive it. */
export class OutgoingUpdate {
  #text: string | undefined;
  constructor(readonly update: LiveUpdate) {}

  get text(): string {
    if (this.#text === undefined) {
      const { channel, position, data } = this.update;
      const message: UpdateMessage = { type: 'update', channel: clientName(channel), position, data };
      this.#text = JSON.stringify(message);
    }
    return this.#text;
  }

  /**
   * A private list's changes go to `list.<id>` too (READMODELS.md), so a list that was made
   * private while someone else watched it would leak: only its owner may see such an update.
   */
  hiddenFrom(userId: string | undefined): boolean {
    const { data } = this.update;
    return (
      data.type === 'list.changed' &&
      data.list.visibility === 'private' &&
      data.list.ownerId !== userId &&
      this.update.channel.startsWith('list.')
    );
  }
}

/** The envelope's shape; `data` is trusted to be the projector's (it wrote it). */
export function isLiveUpdate(value: unknown): value is LiveUpdate {
  const v = value as { channel?: unknown; position?: unknown; data?: { type?: unknown } | null };
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.channel === 'string' &&
    typeof v.position === 'string' &&
    typeof v.data === 'object' &&
    v.data !== null &&
    typeof v.data.type === 'string'
  );
}
