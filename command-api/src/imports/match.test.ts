import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@reeltime/eventstore/postgres';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { matchRows } from './match.ts';
import type { ImportRow } from './rows.ts';

// Matching over the catalog table exactly as the projector creates it (its migrations).
const CATALOG_MIGRATIONS = fileURLToPath(new URL('../../../projector/src/catalog/migrations', import.meta.url));

let url: string;
let schema: string;
let pool: pg.Pool;

const title = (tmdbId: number, name: string, year: number, imdbId: string | null) => ({ tmdbId, name, year, imdbId });
const CATALOG = [title(348, 'Alien', 1979, 'tt0078748'), title(679, 'Aliens', 1986, 'tt0090605'), title(9493, 'Twins', 1988, null)];

beforeAll(async () => {
  url = await postgresUrlForTests();
  schema = uniqueSchemaName('match');
  pool = new pg.Pool({ connectionString: url, max: 2 });
  await migrate(pool, { schema, directory: CATALOG_MIGRATIONS });
  for (const t of CATALOG) {
    await pool.query(
      `INSERT INTO ${schema}.titles (title_id, media_type, tmdb_id, imdb_id, title, original_title, overview, year, original_language,
         genre_ids, genres, keywords, "cast", directors, popularity, vote_average, vote_count, watch_providers, created_at, updated_at, position)
       VALUES ($1, 'movie', $2, $3, $4, $4, '', $5, 'en', '{}', '{}', '[]', '[]', '[]', 1, 5, 10, '{}', now(), now(), '0')`,
      [`movie:${t.tmdbId}`, t.tmdbId, t.imdbId, t.name, t.year],
    );
  }
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

describe('matching import rows to catalog titles', () => {
  it('given IMDb ids, then each row gets the title with that id, and an unknown id falls through to the name', async () => {
    const matched = await matchRows(pool, schema, [
      row({ imdbId: 'tt0090605', name: 'Something else', year: 1900 }),
      row({ imdbId: 'tt9999999', name: 'Alien', year: 1979 }),
      row({ imdbId: 'tt9999998' }),
    ]);
    expect(matched).toEqual([{ titleId: 'movie:679' }, { titleId: 'movie:348' }, { reason: 'the row names no title the catalog knows' }]);
  });

  it('looks IMDb ids up through the titles_imdb_id index (EXPLAIN of the query the matcher sends)', async () => {
    const client = await pool.connect();
    const plans: string[] = [];
    try {
      // A three-row table is read whole by choice; without that choice the plan shows which index serves the query.
      await client.query('SET enable_seqscan = off');
      const explaining = {
        query: async (text: string, values?: unknown[]) => {
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
          plans.push(`${text}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
          return { rows: [] };
        },
      } as unknown as pg.Pool;
      await matchRows(explaining, schema, [row({ imdbId: 'tt0078748' })]);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
    const imdbQuery = plans.find((plan) => plan.includes('imdb_id = ANY'));
    expect(imdbQuery).toMatch(/Index (Only )?Scan using titles_imdb_id/);
  });
});
