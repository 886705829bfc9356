import type { RecordedEvent } from '@reeltime/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import type { TmdbClient } from '../tmdb/client.ts';
import { startFakeTmdb, syntheticMovie, type FakeTmdb } from '../tmdb/fake-server.testing.ts';
import { silentLog, testClient, testEnvironment, type Environment } from './environment.testing.ts';
import { SyncInProgressError } from './progress-store.ts';
import { syncCatalog, type SyncOptions } from './sync-run.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(movies = 30, tv = 20) {
  const server = await startFakeTmdb({ movies, tv });
  const env = await testEnvironment();
  const client = testClient(server.url);
  cleanups.push(
    () => server.close(),
    () => env.dispose(),
    () => client.close(),
  );
  return { server, env, client };
}

const run = (env: Environment, client: TmdbClient, options: Partial<SyncOptions> = {}) =>
  syncCatalog({ source: 'tmdb', client, store: env.store, progress: env.progress, pages: 2, log: silentLog, concurrency: 8, ...options });

const ofType = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type);
const importedIds = (events: RecordedEvent[]) => ofType(events, 'TitleImported').map((e) => (e.data as { titleId: string }).titleId);
/** What a consumer sees of the catalog: per stream, each event's type and data. */
const catalogOf = (events: RecordedEvent[]) => {
  const byStream: Record<string, unknown[]> = {};
  for (const event of events) (byStream[event.streamId] ??= []).push({ type: event.type, data: event.data });
  return byStream;
};

async function titleSync(env: Environment, titleId: string) {
  const { rows } = await env.progress.pool.query(
    `SELECT status, attempts, last_error FROM ${env.progressSchema}.title_syncs WHERE title_id = $1`,
    [titleId],
  );
  return rows[0] as { status: string; attempts: number; last_error: string | null };
}

function injectFaults(server: FakeTmdb) {
  server.failNext('/3/movie/popular', { kind: 'status', status: 503 });
  server.failNext('/3/movie/3', { kind: 'status', status: 429, retryAfter: '1' });
  server.failNext('/3/movie/4', { kind: 'status', status: 500 }, { kind: 'status', status: 502 });
  server.failNext('/3/movie/5', { kind: 'stall' });
  server.failAlways('/3/movie/6', { kind: 'malformed-json' });
  server.failAlways('/3/tv/2', { kind: 'wrong-shape' });
}

describe('catalog sync', () => {
  it('imports each title once through 429s, 5xx and timeouts, failing only the malformed ones', async () => {
    const { server, env, client } = await setUp();
    injectFaults(server);
    const result = await run(env, client);

    expect(result).toMatchObject({ status: 'completed', resumed: false, summary: { imported: 48, updated: 0, unchanged: 0, failed: 2 } });
    const events = await env.events();
    const ids = importedIds(events);
    expect(ids).toHaveLength(48);
    expect(new Set(ids).size).toBe(48);
    expect(ids).not.toContain('movie:6');
    expect(ids).not.toContain('tv:2');
    expect(events.every((e) => e.correlationId === result.runId && e.causationId === result.runId && e.userId === null)).toBe(true);
    expect(events.find((e) => e.streamId === 'title-movie-1')?.data).toMatchObject({
      titleId: 'movie:1',
      title: 'Movie 1',
      directors: [{ name: 'Director 1' }],
    });

    expect(await titleSync(env, 'movie:6')).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringMatching(/malformed response \(not JSON/),
    });
    expect(await titleSync(env, 'tv:2')).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/malformed response/) });
    expect(await titleSync(env, 'movie:4')).toMatchObject({ status: 'done', attempts: 0 });
  });

  it('records a changed title as one TitleUpdated with just the changed fields, and an unchanged re-run as nothing', async () => {
    const { server, env, client } = await setUp();
    server.failAlways('/3/movie/6', { kind: 'malformed-json' });
    await run(env, client);
    const first = (await env.events()).length;

    server.failAlways('/3/movie/6', undefined); // fixed upstream: the next run retries it
    server.put('movie', syntheticMovie(7, { overview: 'A director’s cut.', runtime: 181 }));
    server.put('movie', syntheticMovie(8, { popularity: syntheticMovie(8).popularity * 1.05 })); // drift only
    const second = await run(env, client);
    expect(second.summary).toEqual({ imported: 1, updated: 1, unchanged: 48, failed: 0 });
    const added = (await env.events()).slice(first);
    expect(added.map((e) => [e.type, e.streamId])).toEqual(
      expect.arrayContaining([
        ['TitleImported', 'title-movie-6'],
        ['TitleUpdated', 'title-movie-7'],
      ]),
    );
    expect(added).toHaveLength(2);
    expect(ofType(added, 'TitleUpdated')[0]!.data).toEqual({
      titleId: 'movie:7',
      changes: { overview: 'A director’s cut.', runtimeMinutes: 181 },
    });

    const third = await run(env, client);
    expect(third.summary).toEqual({ imported: 0, updated: 0, unchanged: 50, failed: 0 });
    expect(await env.events()).toHaveLength(first + 2);
  });

  it('refreshes titles it tracks from the change feeds since the last run, and ignores the rest', async () => {
    const { server, env, client } = await setUp(20, 0);
    await run(env, client, { pages: 1 });
    expect(server.hits('/3/movie/changes')).toBe(0); // nothing synced before: no window to read

    server.put('movie', syntheticMovie(12, { title: 'Renamed' }));
    server.setChanges('movie', [12, 999]);
    const second = await run(env, client, { pages: 0 });
    expect(second.summary).toEqual({ imported: 0, updated: 1, unchanged: 0, failed: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const feed = server.requests.find((r) => r.path === '/3/movie/changes')!;
    expect([feed.query.get('start_date'), feed.query.get('end_date')]).toEqual([today, today]);
    expect(server.hits('/3/movie/999')).toBe(0);
  });

  it('ends a run killed midway and restarted with the events of an uninterrupted run, fetching finished titles once', async () => {
    const reference = await setUp();
    await run(reference.env, reference.client);

    const { server, env, client } = await setUp();
    const controller = new AbortController();
    const interrupted = await run(env, client, {
      signal: controller.signal,
      onProgress: (p) => p.done >= 15 && controller.abort(new Error('killed')),
    });
    expect(interrupted).toMatchObject({ status: 'interrupted', reason: 'killed' });
    const { rows: finished } = await env.progress.pool.query<{ title_id: string }>(
      `SELECT title_id FROM ${env.progressSchema}.title_syncs WHERE status = 'done'`,
    );
    expect(finished.length).toBeGreaterThanOrEqual(15);
    expect(finished.length).toBeLessThan(50);

    const resumed = await run(env, client);
    expect(resumed).toMatchObject({ status: 'completed', resumed: true, runId: interrupted.runId, summary: { imported: 50, failed: 0 } });
    expect(catalogOf(await env.events())).toEqual(catalogOf(await reference.env.events()));
    for (const { title_id } of finished) expect(server.hits(`/3/${title_id.replace(':', '/')}`), title_id).toBe(1);
    expect(server.hits('/3/movie/popular')).toBe(2); // discovery is not repeated either
  });

  it('stops when the circuit opens and resumes once TMDb is back', async () => {
    const { server, env } = await setUp(10, 0);
    for (let id = 1; id <= 10; id++) server.failAlways(`/3/movie/${id}`, { kind: 'status', status: 500 });
    const flaky = testClient(server.url, { retries: 0, concurrency: 1, breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000 } });
    cleanups.push(() => flaky.close());
    const stopped = await run(env, flaky, { concurrency: 1 });
    expect(stopped).toMatchObject({ status: 'interrupted', reason: expect.stringMatching(/circuit breaker is open/) });
    expect(stopped.summary.failed).toBeLessThan(10);

    for (let id = 1; id <= 10; id++) server.failAlways(`/3/movie/${id}`, undefined);
    const healthy = testClient(server.url);
    cleanups.push(() => healthy.close());
    const resumed = await run(env, healthy);
    expect(resumed).toMatchObject({ status: 'completed', resumed: true });
    expect(resumed.summary.imported + resumed.summary.failed).toBe(10);
    // The titles that failed before the circuit opened are retried by the next run.
    expect(new Set(importedIds(await env.events())).size).toBe(10 - resumed.summary.failed);
    const next = await run(env, healthy, { pages: 0 });
    expect(next.summary.failed).toBe(0);
    expect(new Set(importedIds(await env.events())).size).toBe(10);
  });

  it('lets only one process sync a source at a time', async () => {
    const { env, client } = await setUp(1, 0);
    const release = await env.progress.lock('tmdb');
    await expect(run(env, client)).rejects.toBeInstanceOf(SyncInProgressError);
    await release();
    await expect(run(env, client)).resolves.toMatchObject({ status: 'completed' });
  });
});
