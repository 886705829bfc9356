import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { RecordedEvent } from '@reeltime/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeMovie, normalizeTv } from '../catalog/normalize.ts';
import { silentLog, testClient, testEnvironment, type Environment } from '../sync/environment.testing.ts';
import { SyncInProgressError } from '../sync/progress-store.ts';
import { syncCatalog } from '../sync/sync-run.ts';
import { startFakeTmdb, syntheticMovie, type FakeTmdb } from '../tmdb/fake-server.testing.ts';
import { renormalizeCatalog, type CatalogMapping } from './renormalize.ts';

const INGEST_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A catalog of 12 movies and 6 series synced from the fake TMDb, its responses stored. */
async function syncedCatalog(): Promise<{ server: FakeTmdb; env: Environment; sync: () => ReturnType<typeof syncCatalog> }> {
  const server = await startFakeTmdb({ movies: 12, tv: 6 });
  const env = await testEnvironment();
  const client = testClient(server.url);
  cleanups.push(
    () => server.close(),
    () => env.dispose(),
    () => client.close(),
  );
  const sync = () => syncCatalog({ source: 'tmdb', client, store: env.store, progress: env.progress, pages: 1, log: silentLog });
  expect((await sync()).summary).toEqual({ imported: 18, updated: 0, unchanged: 0, failed: 0 });
  return { server, env, sync };
}

const renormalize = (env: Environment, mapping?: CatalogMapping) =>
  renormalizeCatalog({ store: env.store, progress: env.progress, log: silentLog, concurrency: 4, ...(mapping ? { mapping } : {}) });

/** A mapping change: every third movie keeps only its top 5 cast members. */
const shorterCast: CatalogMapping = {
  movie: (details) => {
    const title = normalizeMovie(details);
    return details.id % 3 === 0 ? { ...title, cast: title.cast.slice(0, 5) } : title;
  },
  tv: normalizeTv,
};

const streamsOf = (events: RecordedEvent[]) => events.map((e) => e.streamId).sort();

describe('the stored TMDb responses', () => {
  it('keep the latest response of every synced title, gzip-compressed, as TMDb sent it', async () => {
    const { server, env, sync } = await syncedCatalog();
    const payloads = env.progress.payloads;
    expect(await payloads.count()).toBe(18);
    const [stored] = await payloads.page('movie:2', 1);
    expect(stored).toMatchObject({ titleId: 'movie:3', mediaType: 'movie', tmdbId: 3, source: 'tmdb' });
    expect(stored!.payload).toEqual(syntheticMovie(3));

    const { rows } = await env.progress.pool.query<{ payload: Buffer }>(
      `SELECT payload FROM ${env.progressSchema}.tmdb_payloads WHERE title_id = 'movie:3'`,
    );
    const compressed = rows[0]!.payload;
    expect([...compressed.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(compressed).toString('utf8'))).toEqual(syntheticMovie(3));
    expect(compressed.length).toBeLessThan(JSON.stringify(syntheticMovie(3)).length / 2);

    server.put('movie', syntheticMovie(3, { overview: 'Recut.' }));
    expect((await sync()).summary).toMatchObject({ updated: 1, unchanged: 17 });
    expect((await payloads.page('movie:2', 1))[0]!.payload).toMatchObject({ id: 3, overview: 'Recut.' });
    expect(await payloads.count()).toBe(18);
  });
});

describe('renormalizing the catalog', () => {
  it('appends nothing when the mapping has not changed, and fails only a stored response today’s schema cannot read', async () => {
    const { server, env } = await syncedCatalog();
    const before = await env.events();
    const requests = server.requests.length;

    const result = await renormalize(env);
    expect(result).toMatchObject({ status: 'completed', total: 18, summary: { imported: 0, updated: 0, unchanged: 18, failed: 0 } });
    expect(await env.events()).toEqual(before);

    await env.progress.payloads.save('tmdb', { titleId: 'movie:99', mediaType: 'movie', tmdbId: 99 }, { id: 99, title: 'half a response' });
    expect((await renormalize(env)).summary).toEqual({ imported: 0, updated: 0, unchanged: 18, failed: 1 });
    expect(await env.events()).toEqual(before);
    expect(server.requests.length).toBe(requests);
  });

  it('after a mapping change, appends one TitleUpdated per changed title carrying only what changed, and nothing on a second run', async () => {
    const { server, env } = await syncedCatalog();
    const before = (await env.events()).length;
    const requests = server.requests.length;

    const result = await renormalize(env, shorterCast);
    expect(result.summary).toEqual({ imported: 0, updated: 4, unchanged: 14, failed: 0 });
    const added = (await env.events()).slice(before);
    expect(streamsOf(added)).toEqual(['title-movie-12', 'title-movie-3', 'title-movie-6', 'title-movie-9']);
    for (const event of added) {
      if (event.type !== 'TitleUpdated') throw new Error(`expected TitleUpdated, got ${event.type}`);
      expect(Object.keys(event.data.changes)).toEqual(['cast']);
      expect(event.data.changes.cast).toHaveLength(5);
      expect(event).toMatchObject({ correlationId: result.runId, causationId: result.runId, userId: null });
    }

    expect((await renormalize(env, shorterCast)).summary).toEqual({ imported: 0, updated: 0, unchanged: 18, failed: 0 });
    expect(await env.events()).toHaveLength(before + 4);
    expect(server.requests.length).toBe(requests);
  });

  it('waits for a sync of the same source rather than racing it with older data', async () => {
    const { env } = await syncedCatalog();
    const release = await env.progress.lock('tmdb');
    try {
      await expect(renormalize(env)).rejects.toBeInstanceOf(SyncInProgressError);
    } finally {
      await release();
    }
  }, 15_000);

  it('runs as `npm run ingest -- --renormalize` without opening a single connection to TMDb', async () => {
    const { env } = await syncedCatalog();
    const before = await env.events();
    // Where TMDB_BASE_URL points: any connection at all is counted.
    const connections: Socket[] = [];
    const tmdb = createServer((socket) => {
      connections.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => tmdb.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => tmdb.close(() => resolve())));
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
          cwd: INGEST_ROOT,
          env: {
            ...process.env,
            DATABASE_URL: env.url,
            EVENTSTORE_SCHEMA: env.eventSchema,
            INGEST_SCHEMA: env.progressSchema,
            TMDB_BASE_URL: `http://127.0.0.1:${(tmdb.address() as AddressInfo).port}/3`,
            TMDB_READ_ACCESS_TOKEN: 'test-token',
            LOG_LEVEL: 'silent',
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });

    const run = await cli('--renormalize');
    expect(run, run.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/18 stored responses, 0 updated, 0 imported, 18 unchanged, 0 failed/),
    });
    expect(connections).toHaveLength(0);
    expect(await env.events()).toEqual(before);

    const mixed = await cli('--renormalize', '--source', 'demo');
    expect(mixed).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--renormalize reads only the stored TMDb responses: drop --source'),
    });
  }, 60_000);
});
