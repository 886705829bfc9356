import { clientName } from './channels.ts';

/** One row of `read.live_updates` / one NATS notice. */
export type LiveUpdate = { channel: string; position: string; data: Record<string, unknown> };

/** An update and its wire form, built once however many sockets receive it. */
export class OutgoingUpdate {
  #text: string | undefined;
  constructor(readonly update: LiveUpdate) {}

  get text(): string {
    this.#text ??= `{"type":"update","channel":${JSON.stringify(clientName(this.update.channel))},"position":${JSON.stringify(this.update.position)},"data":${JSON.stringify(this.update.data)}}`;
    return this.#text;
  }

  /**
   * A private list's changes go to `list.<id>` too (READMODELS.md), so a list that was made
   * private while someone else watched it would leak: only its owner may see such an update.
   */
  hiddenFrom(userId: string | undefined): boolean {
    const data = this.update.data as { type?: string; list?: { visibility?: string; ownerId?: string } };
    return data.type === 'list.changed' && data.list?.visibility === 'private' && data.list.ownerId !== userId && this.update.channel.startsWith('list.');
  }
}

export function isLiveUpdate(value: unknown): value is LiveUpdate {
  const v = value as LiveUpdate;
  return typeof v === 'object' && v !== null && typeof v.channel === 'string' && typeof v.position === 'string' && typeof v.data === 'object' && v.data !== null;
}
