/*
 * The tab's live connection. The root layout starts it; pages and components call `watch`
 * (usually through `watchAndInvalidate`, which re-runs the loads that depend on a channel).
 */
import { browser } from '$app/environment';
import { invalidate } from '$app/navigation';
import { LiveConnection, type LiveHandler, type LiveToken } from './connection.svelte.ts';
import type { LiveChannel } from '@reeltime/schemas/live';

export type { LiveEvent, LiveHandler, LiveStatus, LiveUpdate } from './connection.svelte.ts';

/** One per tab, made at first use so components can watch before the layout starts it. */
let connection: LiveConnection | null = null;

function theConnection(): LiveConnection {
  connection ??= new LiveConnection({ createSocket: (address) => new WebSocket(address), fetchToken });
  return connection;
}

async function fetchToken(): Promise<LiveToken | null> {
  const response = await fetch('/session/live-token', { headers: { accept: 'application/json' } });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`live token: ${response.status}`);
  return (await response.json()) as LiveToken;
}

/** The address of `/live`: configured, or query-api's port on the page's host. */
export function liveAddress(configured: string | null, fallbackPort: number): string {
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.hostname}:${fallbackPort}/live`;
}

/** The tab's connection in the browser (for its `status`); null on the server. */
export function liveConnection(): LiveConnection | null {
  return browser ? theConnection() : null;
}

/** Watches a channel; a no-op on the server. */
export function watch(channel: LiveChannel, handler: LiveHandler): () => void {
  if (!browser) return () => {};
  return theConnection().watch(channel, handler);
}

/** The dependency key a load declares with `depends()` to be re-run by updates on `channel`. */
export const liveKey = (channel: LiveChannel) => `live:${channel}` as const;

/**
 * Re-runs the loads that `depends(liveKey(channel))` whenever the channel changes. Several
 * updates in a burst (a bulk of ratings) cost one refetch.
 */
export function watchAndInvalidate(channel: LiveChannel, onUpdate?: LiveHandler): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  return watch(channel, (event) => {
    onUpdate?.(event);
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      void invalidate(liveKey(channel));
    }, 100);
  });
}
