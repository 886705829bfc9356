import pg from 'pg';
import type { Logger } from 'pino';
import { connectionConfig } from '../core/db.ts';

// Capped at a second: a database back from an outage is used again within about that long.
const ERROR_BACKOFF_MS = [200, 500, 1000];

/** How long to wait before the next attempt after `consecutiveErrors` failures in a row. */
export function backoffMs(consecutiveErrors: number): number {
  return ERROR_BACKOFF_MS[Math.min(consecutiveErrors - 1, ERROR_BACKOFF_MS.length - 1)]!;
}

/** A connection of the runner's own (not from a pool), its errors logged as warnings and reported to `lost`. */
export function ownConnection(databaseUrl: string, log: Logger, projection: string, lost?: AbortController): pg.Client {
  const client = new pg.Client(connectionConfig(databaseUrl));
  client.on('error', (error) => {
    log.warn({ err: error, projection }, 'projector connection error');
    lost?.abort(error);
  });
  return client;
}

/** Resolves after `ms`, or at once on abort. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
