/*
 * GET /me/export (issue 13, build 6): time to the last byte of a 10,000-rating account's export,
 * both formats, through the real query-api over HTTP (target <= 2 s each).
 *
 * The account: --ratings ratings (a third with a 300-character review), --diary diary entries,
 * --lists lists of --items items each, every title in the catalog (a tenth of them TV, which the
 * Letterboxd zip leaves out). The user and the lists are made through command-api; the rows are
 * put straight behind the read views in bulk (the projector is not what is measured). Runs take
 * turns between the formats; medians of --runs. Prints JSON, then one summary line.
 *
 *   npm run bench:export -- [--runs 5] [--ratings 10000] [--diary 2000] [--lists 5] [--items 200]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { eventually } from '../../projector/src/testing/harness.ts';
import { startStack } from '../../query-api/src/testing/stack.ts';
import { median } from '../stats.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    ratings: { type: 'string', default: '10000' },
    diary: { type: 'string', default: '2000' },
    lists: { type: 'string', default: '5' },
    items: { type: 'string', default: '200' },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const RATINGS = Number(args.ratings);
const DIARY = Number(args.diary);
const LISTS = Number(args.lists);
const ITEMS = Number(args.items);
const TARGET_MS = 2000;
const FORMATS = ['json', 'letterboxd'] as const;

const stack = await startStack('bench_export');
try {
  const api = await stack.startQueryApi({ rateLimitPerMinute: 1_000_000 });
  const read = stack.harness.settings.readSchema;
  const db = stack.harness.pool;
  const me = await stack.register('Bench');
  const lists: string[] = [];
  for (let n = 1; n <= LISTS; n++) {
    const answer = await stack.command('POST', '/lists', {
      token: me.accessToken,
      body: { name: `List ${n}`, description: 'A bench list' },
    });
    lists.push(answer.body.listId);
  }
  await eventually(async () => {
    const { rowCount } = await db.query(`SELECT 1 FROM ${read}.lists WHERE list_id = ANY($1)`, [lists]);
    if (rowCount !== LISTS) throw new Error('lists not projected yet');
  }, 30_000);

  const titleId = `CASE WHEN g % 10 = 0 THEN 'tv:' ELSE 'movie:' END || g`;
  await db.query(
    `INSERT INTO ${read}.titles (title_id, media_type, tmdb_id, imdb_id, title, original_title, overview, release_date, year, original_language,
       genre_ids, genres, keywords, "cast", directors, popularity, vote_average, vote_count, watch_providers, created_at, updated_at, position)
     SELECT ${titleId}, CASE WHEN g % 10 = 0 THEN 'tv' ELSE 'movie' END, g, 'tt' || lpad(g::text, 7, '0'), 'Film number ' || g, 'Film number ' || g, '',
            make_date(1950 + g % 70, 1, 1), 1950 + g % 70, 'en', '{18}', '{Drama}', '[]', '[]', '[]', g, 7, 100, '{}', now(), now(), '0'
       FROM generate_series(1, $1::int) g`,
    [RATINGS],
  );
  await db.query(
    `INSERT INTO ${read}.ratings (user_id, title_id, score, review, contains_spoilers, rated_at, updated_at, position)
     SELECT $1, ${titleId}, g % 10 + 1, CASE WHEN g % 3 = 0 THEN repeat('A review. ', 30) END, g % 7 = 0,
            now() - g * interval '1 hour', now() - g * interval '1 hour', '0'
       FROM generate_series(1, $2::int) g`,
    [me.userId, RATINGS],
  );
  await db.query(
    `INSERT INTO ${read}.diary (entry_id, user_id, title_id, watched_on, rewatch, logged_at, position)
     SELECT gen_random_uuid()::text, $1, ${titleId}, current_date - g, g % 5 = 0, now() - g * interval '1 day', '0'
       FROM generate_series(1, $2::int) g`,
    [me.userId, DIARY],
  );
  await db.query(
    `INSERT INTO ${read}.list_items (list_id, title_id, note, ord, added_at, position)
     SELECT l.list_id, ${titleId}, CASE WHEN g % 4 = 0 THEN 'a note' END, g - 1, now(), '0'
       FROM unnest($1::text[]) l(list_id), generate_series(1, $2::int) g`,
    [lists, ITEMS],
  );
  await db.query('ANALYZE');

  const times: Record<(typeof FORMATS)[number], number[]> = { json: [], letterboxd: [] };
  const bytes: Record<(typeof FORMATS)[number], number> = { json: 0, letterboxd: 0 };
  const load = { before: loadavg()[0] };
  for (let run = 0; run < RUNS + 1; run++) {
    for (const format of FORMATS) {
      const started = performance.now();
      const response = await fetch(`${api.baseUrl}/me/export?format=${format}`, { headers: { authorization: `Bearer ${me.accessToken}` } });
      if (response.status !== 200) throw new Error(`${format}: ${response.status} ${await response.text()}`);
      const body = await response.arrayBuffer();
      const ms = performance.now() - started;
      if (run > 0) times[format].push(ms); // the first round warms up (JIT, prepared plans, caches)
      bytes[format] = body.byteLength;
    }
  }
  const figures = Object.fromEntries(
    FORMATS.map((format) => [
      format,
      { medianMs: Math.round(median(times[format])), runsMs: times[format].map(Math.round), bytes: bytes[format] },
    ]),
  ) as Record<(typeof FORMATS)[number], { medianMs: number; runsMs: number[]; bytes: number }>;
  const result = {
    bench: 'export',
    account: { ratings: RATINGS, reviews: Math.floor(RATINGS / 3), diary: DIARY, lists: LISTS, itemsPerList: ITEMS },
    runs: RUNS,
    targetMs: TARGET_MS,
    ...figures,
    loadAverage: { before: load.before, after: loadavg()[0] },
  };
  console.log(JSON.stringify(result, null, 2));
  const pass = FORMATS.every((format) => figures[format].medianMs <= TARGET_MS);
  console.log(
    `export of a ${RATINGS.toLocaleString('en')}-rating account, median of ${RUNS}: json ${figures.json.medianMs} ms (${(figures.json.bytes / 1e6).toFixed(1)} MB), ` +
      `letterboxd zip ${figures.letterboxd.medianMs} ms (${(figures.letterboxd.bytes / 1e6).toFixed(1)} MB); target <= ${TARGET_MS} ms: ${pass ? 'met' : 'MISSED'}`,
  );
} finally {
  await stack.close();
}
