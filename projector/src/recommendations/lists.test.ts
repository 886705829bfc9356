import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate } from '@reeltime/eventstore/postgres';
import { postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { describeReason, type ReasonCode } from '@reeltime/schemas';
import { ITEMS_VIEW, storedItem } from './lists.ts';
import { recommendationsProjection } from './projection.ts';

const NAMES: Record<string, string> = { 'movie:1': 'Alien', 'tv:2': "Grey's Anatomy" };
const titleName = (titleId: string) => NAMES[titleId] ?? titleId;

/** Every kind of stored reason, an unknown title's included (named by its id, as the engine does). */
const CODES: ReasonCode[] = [
  ['r', 'movie:1', 9],
  ['w', 'tv:2'],
  ['l', 'movie:1'],
  ['r', 'movie:77', 3],
  ['g', 1, 35],
  ['g', 0, 18, 80],
  't',
  'p',
  { kind: 'person', text: 'You like Person 9' },
];

/** The read view against PostgreSQL: it must say what describeReason says, for every kind of code. */
describe('stored recommendation lists', () => {
  let client: pg.Client;
  const schema = uniqueSchemaName('recs_lists');

  beforeAll(async () => {
    const url = await postgresUrlForTests();
    // The projection's own tables, as its migrations make them.
    const pool = new pg.Pool({ connectionString: url });
    await migrate(pool, { schema, directory: recommendationsProjection.migrations }).finally(() => pool.end());
    client = new pg.Client({ connectionString: url });
    await client.connect();
    const items = CODES.map((code, i) =>
      storedItem(
        { titleId: i % 2 ? `tv:${100 + i}` : `movie:${100 + i}`, mediaType: 'movie', score: 1 - i / 10, reasons: [code] },
        (titleId) => NAMES[titleId],
      ),
    );
    await client.query(`INSERT INTO ${schema}.recommendations VALUES ('u', $1::jsonb)`, [JSON.stringify(items)]);
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  const view = () => ITEMS_VIEW.replaceAll('{schema}', schema);

  it('gives each reason the text describeReason gives it', async () => {
    const { rows } = await client.query<{ reasons: unknown[] }>(`SELECT reasons FROM (${view()}) v WHERE user_id = 'u' ORDER BY rank`);
    expect(rows.map((row) => row.reasons[0])).toEqual(CODES.map((code) => describeReason(code, titleName)));
  });

  it('stores with each item the names of the titles its reasons mention, and only those it has', async () => {
    const { rows } = await client.query<{ reason_titles: unknown }>(
      `SELECT reason_titles FROM (${view()}) v WHERE user_id = 'u' ORDER BY rank`,
    );
    expect(rows.map((row) => row.reason_titles)).toEqual([
      { 'movie:1': 'Alien' },
      { 'tv:2': "Grey's Anatomy" },
      { 'movie:1': 'Alien' },
      ...Array.from({ length: CODES.length - 3 }, () => null), // movie:77 has no name yet; the rest name no title
    ]);
    // What the query API renders from the codes and these names is what the view renders.
    const { rows: both } = await client.query<{
      reasons: unknown[];
      reason_codes: ReasonCode[];
      reason_titles: Record<string, string> | null;
    }>(`SELECT reasons, reason_codes, reason_titles FROM (${view()}) v WHERE user_id = 'u' ORDER BY rank`);
    for (const row of both)
      expect(row.reason_codes.map((code) => describeReason(code, (id) => row.reason_titles?.[id] ?? id))).toEqual(row.reasons);
  });

  it('given a list of full length, when it is written, then it stays in its row, out of the TOAST table (a page reads no chunks)', async () => {
    // Hard to compress, as real lists are: ids, scores and names that do not repeat.
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    const items = Array.from({ length: 70 }, () => {
      const rated = `movie:${next() % 1_000_000}`;
      return storedItem(
        {
          titleId: `tv:${next() % 1_000_000}`,
          mediaType: 'tv',
          score: next() / 2_147_483_647,
          reasons: [
            ['r', rated, 1 + (next() % 10)],
            ['g', 1, 18],
          ],
        },
        () => `Title ${next().toString(36)}`,
      );
    });
    await client.query(`INSERT INTO ${schema}.recommendations VALUES ('full', $1::jsonb)`, [JSON.stringify(items)]);
    const { rows } = await client.query<{ stored: number; toasted: string }>(
      `SELECT pg_column_size(r.items) AS stored, pg_relation_size(c.reltoastrelid) AS toasted
         FROM ${schema}.recommendations r, pg_class c
        WHERE r.user_id = 'full' AND c.oid = '${schema}.recommendations'::regclass`,
    );
    await client.query(`DELETE FROM ${schema}.recommendations WHERE user_id = 'full'`); // the other tests read 'u' alone
    expect(rows[0]!.stored).toBeGreaterThan(2100); // above the size at which PostgreSQL toasts a row
    expect(Number(rows[0]!.toasted)).toBe(0);
  });

  it("keeps a page's lookup under PostgreSQL's jit_above_cost (a JIT compile would add some 200 ms to each request)", async () => {
    const page = `SELECT * FROM (${view()}) v WHERE user_id = 'u' AND rank > 0 ORDER BY rank LIMIT 51`;
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }>(`EXPLAIN (FORMAT JSON) ${page}`);
    const { rows: setting } = await client.query<{ jit_above_cost: string }>('SHOW jit_above_cost');
    expect(rows[0]!['QUERY PLAN'][0].Plan['Total Cost']).toBeLessThan(Number(setting[0]!.jit_above_cost) / 10);
  });

  it('stores each list as jsonb, compressed with lz4 where the server has it (with pglz a list costs 1.8 times as much to write)', async () => {
    const column = `a.attrelid = '${schema}.recommendations'::regclass AND a.attname = 'items'`;
    const { rows } = await client.query(`SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE ${column}`);
    expect(rows[0]!.type).toBe('jsonb');
    const { rows: server } = await client.query<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`);
    if (server[0]!.version < 140000) return; // PostgreSQL 13 compresses with pglz only
    const { rows: compression } = await client.query<{ method: string; lz4: boolean }>(
      `SELECT a.attcompression AS method, EXISTS (SELECT FROM pg_config() WHERE name = 'CONFIGURE' AND setting LIKE '%with-lz4%') AS lz4
         FROM pg_attribute a WHERE ${column}`,
    );
    expect(compression[0]!.method).toBe(compression[0]!.lz4 ? 'l' : '');
  });

  it('gives the media type from the title id, the score as stored and the rank in list order', async () => {
    const { rows } = await client.query(`SELECT rank, title_id, media_type, score FROM (${view()}) v ORDER BY rank LIMIT 2`);
    expect(rows).toEqual([
      { rank: 1, title_id: 'movie:100', media_type: 'movie', score: 1 },
      { rank: 2, title_id: 'tv:101', media_type: 'tv', score: 0.9 },
    ]);
  });
});
