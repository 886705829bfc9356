import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCommandTables } from '@reeltime/command-api/src/migrations.ts';
import { matchMissing, TitleRequests } from '@reeltime/command-api/src/imports/title-requests.ts';
import type { ImportRow } from '@reeltime/command-api/src/imports/rows.ts';
import { dropSchema, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { titleStream } from '@reeltime/schemas';
import { silentLog, testClient, testEnvironment, type Environment } from '../sync/environment.testing.ts';
import { startFakeTmdb, type FakeTmdb } from '../tmdb/fake-server.testing.ts';
import { serveTitleRequests, serveTitleRequestsOnce, type TitleRequestDeps } from './title-requests.ts';

// Both sides of an import's title requests, against a real database and a local imitation of
// TMDb (find by IMDb id, details): command-api asks and waits, ingest's loop fetches and records.

let env: Environment;
let fake: FakeTmdb;
let pool: pg.Pool;
let schema: string;
let deps: TitleRequestDeps;

beforeAll(async () => {
  env = await testEnvironment();
  fake = await startFakeTmdb({ movies: [348, 679], tv: [1396] });
  schema = uniqueSchemaName('find_cmd');
  pool = new pg.Pool({ connectionString: env.url, max: 4 });
  await migrateCommandTables(pool, schema);
  deps = { pool, schema, client: testClient(fake.url), store: env.store, progress: env.progress, log: silentLog };
});
afterAll(async () => {
  deps?.client.close();
  await pool?.end();
  await fake?.close();
  await env?.dispose();
  await dropSchema(env.url, schema);
});

const statusOf = async (externalId: string) =>
  (await pool.query(`SELECT status, title_id, reason FROM ${schema}.title_requests WHERE external_id = $1`, [externalId])).rows[0];

describe('title requests served by ingest', () => {
  it('given requests by IMDb and TMDb id, then found titles are recorded in the catalog and unknown ones answered missing', async () => {
    await pool.query(`INSERT INTO ${schema}.title_requests (external_id) SELECT unnest($1::text[])`, [
      ['imdb:tt0100348', 'tmdb:tv:1396', 'tmdb:movie:999', 'imdb:tt7777777'],
    ]);
    expect(await serveTitleRequestsOnce(deps)).toBe(4);

    expect(await statusOf('imdb:tt0100348')).toEqual({ status: 'found', title_id: 'movie:348', reason: null });
    expect(await statusOf('tmdb:tv:1396')).toEqual({ status: 'found', title_id: 'tv:1396', reason: null });
    expect(await statusOf('tmdb:movie:999')).toMatchObject({ status: 'missing', reason: 'TMDb has no movie 999' });
    expect(await statusOf('imdb:tt7777777')).toMatchObject({ status: 'missing', reason: 'TMDb knows no title with IMDb id tt7777777' });
    expect((await env.store.readStream(titleStream('movie:348'))).map((e) => e.type)).toEqual(['TitleImported']);
    expect((await env.store.readStream(titleStream('tv:1396'))).map((e) => e.type)).toEqual(['TitleImported']);
    expect(fake.hits('/3/find/tt0100348')).toBe(1);
    expect(fake.requests.find((r) => r.path === '/3/find/tt0100348')?.query.get('external_source')).toBe('imdb_id');

    // Answered requests are not served again.
    expect(await serveTitleRequestsOnce(deps)).toBe(0);
    expect(fake.hits('/3/find/tt0100348')).toBe(1);
  });

  it("an import's unmatched rows with ids get the fetched titles while ingest's loop runs; rows without ids are left as they were", async () => {
    const stop = new AbortController();
    const loop = serveTitleRequests({ ...deps, signal: stop.signal, pollMs: 50 });
    try {
      const row = (fields: Partial<ImportRow>): ImportRow => ({
        file: 'ratings.csv',
        line: 2,
        text: 'x',
        key: 'k',
        action: { kind: 'rating', score: 8 },
        ...fields,
      });
      const rows = [row({ imdbId: 'tt0100679' }), row({ tmdbId: 1396, mediaType: 'tv' }), row({ name: 'Nothing', year: 2001 })];
      const unmatched = { reason: 'the row names no title the catalog knows' };
      const matched = await matchMissing(
        new TitleRequests(pool, schema),
        rows,
        [unmatched, unmatched, { reason: 'no title' }],
        async () => {},
      );
      expect(matched).toEqual([{ titleId: 'movie:679' }, { titleId: 'tv:1396' }, { reason: 'no title' }]);
      expect((await env.store.readStream(titleStream('movie:679'))).map((e) => e.type)).toEqual(['TitleImported']);
    } finally {
      stop.abort();
      await loop;
    }
  });
});
