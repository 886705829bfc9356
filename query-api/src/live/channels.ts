/**
 * Channel names: clients say `me`, `title:<id>`, `list:<id>`; the projector's notices (and
 * `read.live_updates`, and NATS subjects) say `me.<userId>`, `title.<id>`, `list.<id>`.
 */
export type ChannelKind = 'feed' | 'me' | 'title' | 'list';

export type Channel = { kind: ChannelKind; client: string; internal: string; id?: string };

/** The validated client name (schema `LiveChannel`) in both spellings; `me` needs the user. */
export function resolveChannel(client: string, userId: string | undefined): Channel | undefined {
  if (client === 'feed') return { kind: 'feed', client, internal: 'feed' };
  if (client === 'me') return userId === undefined ? undefined : { kind: 'me', client, internal: `me.${userId}`, id: userId };
  const colon = client.indexOf(':');
  const kind = client.slice(0, colon);
  const id = client.slice(colon + 1);
  if (kind === 'title' || kind === 'list') return { kind, client, internal: `${kind}.${id}`, id };
  return undefined;
}

/** The client's name of an internal channel. */
export function clientName(internal: string): string {
  if (internal === 'feed') return 'feed';
  if (internal.startsWith('me.')) return 'me';
  const dot = internal.indexOf('.');
  return `${internal.slice(0, dot)}:${internal.slice(dot + 1)}`;
}

/** One NATS subscription per kind, whatever the number of sockets (issue 6 §3). */
export const SUBJECTS_BY_KIND: Record<ChannelKind, string> = {
  feed: 'live.feed',
  me: 'live.me.>',
  title: 'live.title.>',
  list: 'live.list.>',
};
