import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMovie, normalizeTv } from '../catalog/normalize.ts';
import { ingestSettings } from '../settings.ts';
import { syncDemo } from '../sources.ts';
import { silentLog, testEnvironment, type Environment } from '../sync/environment.testing.ts';
import { TmdbMovieDetails, TmdbTvDetails } from '../tmdb/schemas.ts';
import { DEMO_DIRECTORY, loadDemoCatalog, startDemoServer } from './demo-server.ts';

const fixtures = new URL('../catalog/fixtures/', import.meta.url);
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'reeltime-demo-'));
  mkdirSync(path.join(directory, 'movie'));
  mkdirSync(path.join(directory, 'tv'));
  cpSync(new URL('movie-603.json', fixtures), path.join(directory, 'movie', '603.json'));
  cpSync(new URL('tv-1396.json', fixtures), path.join(directory, 'tv', '1396.json'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('demo fixture server', () => {
  it('serves the saved responses as TMDb v3', async () => {
    const server = await startDemoServer(directory);
    try {
      const get = async (p: string) => {
        const response = await fetch(`${server.url}${p}`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect((await get('/movie/603?append_to_response=credits')).body).toMatchObject({ id: 603, title: 'The Matrix', credits: {} });
      expect((await get('/tv/popular?page=1')).body).toMatchObject({
        page: 1,
        total_pages: 1,
        total_results: 1,
        results: [{ id: 1396, name: 'Breaking Bad' }],
      });
      expect((await get('/trending/movie/week')).body).toMatchObject({ results: [{ id: 603, media_type: 'movie' }] });
      expect((await get('/movie/changes?start_date=2025-01-01&end_date=2025-01-02')).body).toMatchObject({ results: [], total_pages: 0 });
      expect(await get('/movie/1')).toMatchObject({ status: 404, body: { status_code: 34 } });
    } finally {
      await server.close();
    }
  });

  it('refuses a file named for another title', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'reeltime-demo-bad-'));
    mkdirSync(path.join(bad, 'movie'));
    writeFileSync(path.join(bad, 'movie', '604.json'), JSON.stringify({ id: 603 }));
    await expect(loadDemoCatalog(bad)).rejects.toThrow(/expected "id": 604, found 603/);
    rmSync(bad, { recursive: true });
  });
});

describe('demo import', () => {
  let env: Environment;
  beforeAll(async () => {
    env = await testEnvironment();
  });
  afterAll(() => env?.dispose());

  it('imports the demo catalog through the TMDb sync, and a second import appends nothing', async () => {
    const deps = { store: env.store, progress: env.progress, log: silentLog };
    const first = await syncDemo(ingestSettings({}), deps, directory);
    expect(first).toMatchObject({ status: 'completed', summary: { imported: 2, failed: 0 } });
    const events = await env.events();
    expect(events.map((e) => e.streamId).sort()).toEqual(['title-movie-603', 'title-tv-1396']);

    const second = await syncDemo(ingestSettings({}), deps, directory);
    expect(second).toMatchObject({ status: 'completed', summary: { imported: 0, updated: 0, unchanged: 2, failed: 0 } });
    expect(await env.events()).toHaveLength(2);
  });
});

describe('the demo catalog in ingest/demo', async () => {
  const catalog = await loadDemoCatalog(DEMO_DIRECTORY);
  const count = catalog.movie.length + catalog.tv.length;
  if (count === 0) console.info(`skipping the demo catalog checks: no saved responses in ${DEMO_DIRECTORY} yet`);

  it.skipIf(count === 0)('holds only responses ingest can read and turn into valid catalog events', () => {
    const isMovie = Compile(TmdbMovieDetails);
    const isTv = Compile(TmdbTvDetails);
    const problems: string[] = [];
    for (const details of catalog.movie) {
      if (!isMovie.Check(details)) problems.push(`movie/${details.id}.json: ${[...isMovie.Errors(details)][0]?.message}`);
      else normalizeMovie(details);
    }
    for (const details of catalog.tv) {
      if (!isTv.Check(details)) problems.push(`tv/${details.id}.json: ${[...isTv.Errors(details)][0]?.message}`);
      else normalizeTv(details);
    }
    expect(problems).toEqual([]);
  });
});
