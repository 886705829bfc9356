import type pg from 'pg';

/**
 * One active instance per projection version: a session-level advisory lock held on the
 * runner's own connection. When the holder dies its connection closes and Postgres frees
 * the lock, so a standby polling every `retryMs` takes over within about that long.
 */
export async function acquireLease(client: pg.Client, key: string, retryMs: number, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
    if (rows[0]!.locked) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, retryMs);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
  return false;
}
