/*
 * Import benchmark: a 10,000-row Letterboxd diary (each row with a rating, 2% of the names
 * misspelt) imported end to end: POST /imports, matching against a 10,000-title catalog,
 * the rating and diary deciders, the projector, until the diary and ratings read back from
 * query-api at the import's final position. Every service is its own process (projector with
 * all its projections, command-api, query-api) on the PostgreSQL store, as in production.
 * Each run imports for a new user against the same catalog; figures are medians of the runs.
 *
 *   npm run bench:import -- [--runs 3] [--rows 10000] [--log-level info --logs FILE]
 *
 * `--logs` keeps the services' logs (the import's phase timings among them) in FILE;
 * `--cpu-prof DIR` writes a CPU profile of each service into DIR when it stops.
 */
import { openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { titleImported } from '@reeltime/eventstore/testing';
import { titleStream, type EventData } from '@reeltime/schemas';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';
import { dropSchemas, ready, ServiceProcesses, serviceEnv } from '../services.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    rows: { type: 'string', default: '10000' },
    'log-level': { type: 'string', default: 'warn' },
    logs: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const ROWS = Number(args.rows);
const TARGET_SECONDS = 10;
const { DATABASE_URL } = benchEnv();
const base = `bench_import_${process.pid}`;
const ports = { command: 4931, query: 4932, projector: 4933 };
const COMMAND = `http://127.0.0.1:${ports.command}`;
const QUERY = `http://127.0.0.1:${ports.query}`;
const env = serviceEnv(base, ports, DATABASE_URL, { LOG_LEVEL: args['log-level'] });
const services = new ServiceProcesses();
const profile = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`];
const logs = args.logs === undefined ? 'ignore' : openSync(args.logs, 'a');
const start = (path: string) => services.start(path, env, profile, logs);
// Five minutes: on a machine shared with other work, starting three services can take a while.
const READY_MS = 300_000;

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Distinct film names: two words from small vocabularies and a number, all years 1950-2019. */
const WORDS = ['Silent', 'Crimson', 'Northern', 'Glass', 'Paper', 'Hollow', 'Iron', 'Velvet', 'Winter', 'Burning', 'Distant', 'Golden'];
const NOUNS = ['River', 'Station', 'Garden', 'Harbour', 'Mirror', 'Orchard', 'Frontier', 'Lantern', 'Signal', 'Tide'];
const film = (i: number) => ({
  name: `The ${WORDS[i % WORDS.length]} ${NOUNS[Math.floor(i / WORDS.length) % NOUNS.length]} ${Math.floor(i / 120) + 1}`,
  year: 1950 + (i % 70),
});
/** One dropped letter (not in the number): what a typo in a hand-kept export looks like. */
const misspelt = (name: string) => name.replace(/([a-z])([a-z])/, '$2');

async function seedCatalog(titles: number): Promise<void> {
  const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: env.EVENTSTORE_SCHEMA, poolSize: 8 });
  try {
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < titles; i++) {
      const event = titleImported(`movie:${i + 1}`, film(i).name);
      (event.data as EventData<'TitleImported'>).year = film(i).year;
      appends.push(store.appendToStream(titleStream(`movie:${i + 1}`), [event]));
      if (appends.length >= 64) await Promise.all(appends.splice(0));
    }
    await Promise.all(appends);
  } finally {
    await store.close();
  }
}

function diaryCsv(rows: number): string {
  const lines = ['Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date'];
  for (let i = 0; i < rows; i++) {
    const { name, year } = film(i);
    const day = `20${String(10 + (i % 14)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(`${day},${i % 50 === 7 ? misspelt(name) : name},${year},https://boxd.it/b${i},${(1 + (i % 10)) / 2},,,${day}`);
  }
  return lines.join('\n') + '\n';
}

type Run = {
  seconds: number;
  accepted: number;
  completed: number;
  rows: number;
  imported: number;
  unmatched: number;
  diary: number;
  ratings: number;
};

async function register(n: number): Promise<string> {
  const answer = await json(`${COMMAND}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `importer${n}-${process.pid}@example.com`, password: 'a long password', displayName: `Importer ${n}` }),
  });
  if (answer.status !== 201) throw new Error(`register: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.accessToken as string;
}

async function importRun(run: number, file: string): Promise<Run> {
  const token = await register(run);
  const authorization = `Bearer ${token}`;
  const body = new FormData();
  body.append('file', new Blob([file]), 'diary.csv');
  const started = performance.now();
  const accepted = await json(`${COMMAND}/imports`, { method: 'POST', headers: { authorization }, body });
  if (accepted.status !== 202) throw new Error(`POST /imports: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const acceptedAt = performance.now();
  let status: Record<string, unknown>;
  let position: string;
  for (;;) {
    const answer = await json(`${QUERY}/imports/${String(accepted.body.importId)}`, {
      headers: { authorization, 'x-min-position': String(accepted.body.position) },
    });
    status = answer.body;
    position = answer.headers.get('x-position') ?? '';
    if (answer.status === 200 && status.status !== 'running') break;
    await sleep(50);
  }
  if (status.status !== 'completed') throw new Error(`import ended ${JSON.stringify(status)}`);
  const completedAt = performance.now();
  // Projected: the diary and ratings read back at the import's final position (503 = not yet, after 5 s of waiting).
  const headers = { authorization, 'x-min-position': position };
  for (const path of ['/me/diary?limit=1', '/me/ratings?limit=1']) {
    for (;;) {
      const answer = await json(`${QUERY}${path}`, { headers });
      if (answer.status === 200) break;
      if (answer.status !== 503) throw new Error(`${path}: ${answer.status}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  const counted = async (view: string) =>
    Number(
      (
        await pool.query(
          `SELECT count(*) AS n FROM ${env.READ_SCHEMA}.${view} WHERE user_id = (SELECT user_id FROM ${env.READ_SCHEMA}.imports WHERE import_id = $1)`,
          [accepted.body.importId],
        )
      ).rows[0].n,
    );
  const figures = { diary: await counted('diary'), ratings: await counted('ratings') };
  await pool.end();
  return {
    seconds,
    accepted: (acceptedAt - started) / 1000,
    completed: (completedAt - started) / 1000,
    rows: Number(status.rows),
    imported: Number(status.imported),
    unmatched: Number(status.unmatchedCount),
    ...figures,
  };
}

const runs: Run[] = [];
try {
  process.stderr.write(`seeding ${ROWS} catalog titles...\n`);
  // The store first (migrated by the seeding), then the services.
  await seedCatalog(ROWS);
  start('projector/src/main.ts');
  start('command-api/src/main.ts');
  start('query-api/src/main.ts');
  await Promise.all([
    ready(`http://127.0.0.1:${ports.projector}`, 'projector', READY_MS),
    ready(COMMAND, 'command-api', READY_MS),
    ready(QUERY, 'query-api', READY_MS),
  ]);
  // The catalog is projected before the clock starts: matching needs it.
  for (;;) {
    const answer = await json(`${QUERY}/titles?limit=1&sort=newest`).catch(() => undefined);
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const n = await pool.query(`SELECT count(*)::int AS n FROM ${env.READ_SCHEMA}.titles`).then(
      (r) => r.rows[0].n as number,
      () => 0,
    );
    await pool.end();
    if (answer?.status === 200 && n >= ROWS) break;
    await sleep(500);
  }
  const file = diaryCsv(ROWS);
  for (let run = 1; run <= RUNS; run++) {
    runs.push(await importRun(run, file));
    const last = runs.at(-1)!;
    process.stderr.write(
      `run ${run}/${RUNS}: ${last.rows} rows in ${last.seconds.toFixed(2)} s (202 after ${last.accepted.toFixed(2)} s, import completed after ${last.completed.toFixed(2)} s); imported ${last.imported}, unmatched ${last.unmatched}; diary ${last.diary}, ratings ${last.ratings}\n`,
    );
  }
} finally {
  await services.stop();
  await dropSchemas(DATABASE_URL, base);
}

const seconds = median(runs.map((r) => r.seconds));
const summary = {
  benchmark: 'import',
  runs: RUNS,
  rows: ROWS,
  catalogTitles: ROWS,
  misspeltRows: Math.floor((ROWS + 42) / 50),
  endToEnd: {
    seconds,
    rowsPerSecond: ROWS / seconds,
    acceptedSeconds: median(runs.map((r) => r.accepted)),
    completedSeconds: median(runs.map((r) => r.completed)),
    targetSeconds: TARGET_SECONDS,
  },
  raw: runs,
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  `import: a ${ROWS}-row Letterboxd diary matched, appended and projected in ${seconds.toFixed(2)} s (${(ROWS / seconds).toFixed(0)} rows/s; ` +
    `${seconds <= TARGET_SECONDS ? 'meets' : 'misses'} the ${TARGET_SECONDS} s target), 202 after ${summary.endToEnd.acceptedSeconds.toFixed(2)} s, import completed after ${summary.endToEnd.completedSeconds.toFixed(2)} s (median of ${RUNS})`,
);
