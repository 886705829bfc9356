import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordedEvent } from '@reeltime/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTmdb } from '../tmdb/fake-server.testing.ts';
import { silentLog, testClient, testEnvironment } from './environment.testing.ts';
import { syncCatalog } from './sync-run.ts';

const INGEST_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const catalogOf = (events: RecordedEvent[]) => {
  const byStream: Record<string, unknown[]> = {};
  for (const event of events) (byStream[event.streamId] ??= []).push({ type: event.type, data: event.data });
  return byStream;
};

describe('an ingest process killed midway', () => {
  it('is resumed by the next run, which ends with the events of an uninterrupted run', async () => {
    const server = await startFakeTmdb({ movies: 40, tv: 20 });
    const env = await testEnvironment();
    const reference = await testEnvironment();
    const client = testClient(server.url);
    cleanups.push(
      () => server.close(),
      () => env.dispose(),
      () => reference.dispose(),
      () => client.close(),
    );
    const sync = (target: typeof env) =>
      syncCatalog({ source: 'tmdb', client, store: target.store, progress: target.progress, pages: 3, log: silentLog });

    // `npm run ingest` in a child process, slowed by its rate limit so it is surely mid-run when killed.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--pages', '3', '--rate', '30'], {
      cwd: INGEST_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.url,
        EVENTSTORE_SCHEMA: env.eventSchema,
        INGEST_SCHEMA: env.progressSchema,
        TMDB_BASE_URL: server.url,
        TMDB_READ_ACCESS_TOKEN: 'test-token',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const details = () => server.requests.filter((r) => /^\/3\/(movie|tv)\/\d+$/.test(r.path)).length;
    // Killed once it has finished some titles (by its own records), with most still to do.
    const doneSoFar = async () =>
      (
        await env.progress.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${env.progressSchema}.title_syncs WHERE status = 'done'`,
        )
      ).rows[0]?.n ?? 0;
    let ended = false;
    child.on('exit', () => (ended = true));
    while (!ended && (await doneSoFar().catch(() => 0)) < 10) await new Promise((resolve) => setTimeout(resolve, 10));
    if (ended) throw new Error('the ingest process ended before it could be killed');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const { rows: finished } = await env.progress.pool.query<{ title_id: string }>(
      `SELECT title_id FROM ${env.progressSchema}.title_syncs WHERE status = 'done'`,
    );
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(60);
    const listRequests = server.requests.length - details();

    const resumed = await sync(env);
    expect(resumed).toMatchObject({ status: 'completed', resumed: true, summary: { updated: 0, failed: 0 } });
    // A title appended just before the kill but not yet marked done is fetched again and found unchanged.
    expect(resumed.summary.imported + resumed.summary.unchanged).toBe(60);
    const imports = (await env.events()).filter((e) => e.type === 'TitleImported').map((e) => e.streamId);
    expect(imports).toHaveLength(60);
    expect(new Set(imports).size).toBe(60);
    for (const { title_id } of finished) expect(server.hits(`/3/${title_id.replace(':', '/')}`), title_id).toBe(1);
    expect(server.requests.length - details()).toBe(listRequests); // discovery was not redone

    await sync(reference);
    expect(catalogOf(await env.events())).toEqual(catalogOf(await reference.events()));
  });
});
