import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { migrateCommandTables } from '../migrations.ts';
import type { ImportRow } from './rows.ts';
import { matchMissing, NO_CREDENTIAL, NOT_ANSWERED, TitleRequests } from './title-requests.ts';

// The command side of fetching missing titles (ingest's side and both together: ingest/src/find/).

let url: string;
let schema: string;
let pool: pg.Pool;

beforeAll(async () => {
  url = await postgresUrlForTests();
  schema = uniqueSchemaName('title_req');
  pool = new pg.Pool({ connectionString: url, max: 2 });
  await migrateCommandTables(pool, schema);
});
afterAll(async () => {
  await pool?.end();
  await dropSchema(url, schema);
});

const row = (fields: Partial<ImportRow>): ImportRow => ({
  file: 'ratings.csv',
  line: 2,
  text: 'x',
  key: 'k',
  action: { kind: 'rating', score: 8 },
  ...fields,
});
const unmatched = { reason: 'the row names no title the catalog knows' };

describe('titles missing from the catalog', () => {
  it('given no TMDb fetcher running (no credential), then nothing is asked and rows with ids say why they stay unmatched', async () => {
    const rows = [row({ imdbId: 'tt0000001' }), row({ name: 'Alien', year: 1979 }), row({ tmdbId: 5 })];
    const matched = await matchMissing(
      new TitleRequests(pool, schema),
      rows,
      [unmatched, { reason: 'no title' }, { titleId: 'movie:5' }],
      async () => {},
    );
    expect(matched).toEqual([{ reason: NO_CREDENTIAL }, { reason: 'no title' }, { titleId: 'movie:5' }]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.title_requests`)).rows[0].n).toBe(0);
  });

  it('given a fetcher that says it runs but never answers, then the wait ends and the row says so', async () => {
    await pool.query(`INSERT INTO ${schema}.title_fetchers (fetcher, seen_at) VALUES ('ingest', now())`);
    const requests = new TitleRequests(pool, schema);
    const answers = await requests.resolve(['imdb:tt0000002'], 300, async () => {});
    expect(answers.get('imdb:tt0000002')).toEqual({ reason: NOT_ANSWERED });
    const { rows } = await pool.query(`SELECT status FROM ${schema}.title_requests WHERE external_id = 'imdb:tt0000002'`);
    expect(rows).toEqual([{ status: 'pending' }]);
  });
});
