/*
 * Ingest benchmark: a full sync of 5,000 titles (half movies, half series) from the fake TMDb
 * with the rate limit lifted, end to end into the PostgreSQL event store: discovery, details
 * fetch, validation, normalization, the Title decider, appends and progress records. Then an
 * unchanged re-sync of the same catalog (which must append nothing). Each figure is the median
 * of several runs, each on fresh schemas. Prints JSON, then one summary line.
 *
 *   npm run ingest --workspace bench -- [--runs 3] [--titles 5000] [--concurrency 32]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { openProgressStore } from '../../ingest/src/sync/progress-store.ts';
import { syncCatalog, type SyncResult } from '../../ingest/src/sync/sync-run.ts';
import { createTmdbClient } from '../../ingest/src/tmdb/client.ts';
import { startFakeTmdb } from '../../ingest/src/tmdb/fake-server.testing.ts';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    titles: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const RUNS = Number(args.runs);
const TITLES = Number(args.titles);
const CONCURRENCY = Number(args.concurrency);
const TARGET = 500;
const { DATABASE_URL } = benchEnv();
const PAGE_SIZE = 20;

const movies = Math.ceil(TITLES / 2);
const series = TITLES - movies;
const server = await startFakeTmdb({ movies, tv: series });
const pages = Math.ceil(Math.max(movies, series) / PAGE_SIZE);
const log = pino({ level: 'warn' });

async function dropSchemas(...schemas: string[]) {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}

type RunFigures = {
  titles: number;
  seconds: number;
  titlesPerSecond: number;
  events: number;
  requests: number;
  resync: { seconds: number; titlesPerSecond: number; eventsAppended: number };
};

async function benchRun(run: number): Promise<RunFigures> {
  const eventSchema = `bench_ingest_es_${process.pid}_${run}`;
  const progressSchema = `bench_ingest_sync_${process.pid}_${run}`;
  await dropSchemas(eventSchema, progressSchema);
  const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: eventSchema, poolSize: 16 });
  const progress = await openProgressStore({ connectionString: DATABASE_URL, schema: progressSchema, poolSize: 16 });
  const client = createTmdbClient({
    baseUrl: server.url,
    credential: { kind: 'bearer', token: 'bench' },
    requestsPerSecond: 0,
    concurrency: CONCURRENCY,
  });
  const sync = () => syncCatalog({ source: 'tmdb', client, store, progress, pages, concurrency: CONCURRENCY * 2, log });
  const timed = async (): Promise<[SyncResult, number]> => {
    const started = performance.now();
    const result = await sync();
    return [result, (performance.now() - started) / 1000];
  };
  try {
    const requestsBefore = server.requests.length;
    const [first, seconds] = await timed();
    const titles = first.summary.imported;
    if (first.status !== 'completed' || titles !== TITLES || first.summary.failed !== 0) {
      throw new Error(`run ${run}: expected ${TITLES} imports, got ${JSON.stringify(first)}`);
    }
    const requests = server.requests.length - requestsBefore;
    // Counted in the table: readAll stops at the oldest transaction running anywhere on the server.
    const countEvents = async () => Number((await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const events = await countEvents();
    const [again, resyncSeconds] = await timed();
    const eventsAfter = await countEvents();
    if (again.summary.unchanged !== TITLES) throw new Error(`run ${run}: re-sync was not all unchanged: ${JSON.stringify(again.summary)}`);
    return {
      titles,
      seconds,
      titlesPerSecond: titles / seconds,
      events,
      requests,
      resync: { seconds: resyncSeconds, titlesPerSecond: TITLES / resyncSeconds, eventsAppended: eventsAfter - events },
    };
  } finally {
    client.close();
    await store.close();
    await progress.close();
    await dropSchemas(eventSchema, progressSchema);
  }
}

const runs: RunFigures[] = [];
for (let run = 1; run <= RUNS; run++) {
  runs.push(await benchRun(run));
  const last = runs.at(-1)!;
  process.stderr.write(
    `run ${run}/${RUNS}: ${last.titles} titles in ${last.seconds.toFixed(2)} s = ${last.titlesPerSecond.toFixed(0)} titles/s; ` +
      `unchanged re-sync ${last.resync.titlesPerSecond.toFixed(0)} titles/s, ${last.resync.eventsAppended} events appended\n`,
  );
}
server.requests.length = 0;
await server.close();

const summary = {
  benchmark: 'ingest',
  runs: RUNS,
  titles: TITLES,
  httpConcurrency: CONCURRENCY,
  titleConcurrency: CONCURRENCY * 2,
  rateLimit: 'lifted',
  fullSync: {
    titlesPerSecond: median(runs.map((r) => r.titlesPerSecond)),
    seconds: median(runs.map((r) => r.seconds)),
    targetTitlesPerSecond: TARGET,
  },
  unchangedResync: {
    titlesPerSecond: median(runs.map((r) => r.resync.titlesPerSecond)),
    seconds: median(runs.map((r) => r.resync.seconds)),
    eventsAppended: Math.max(...runs.map((r) => r.resync.eventsAppended)),
  },
  raw: runs,
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  `ingest: ${TITLES} titles from the fake TMDb into the event store at ${summary.fullSync.titlesPerSecond.toFixed(0)} titles/s ` +
    `(${summary.fullSync.titlesPerSecond >= TARGET ? 'meets' : 'misses'} the ${TARGET}/s target), unchanged re-sync ` +
    `${summary.unchangedResync.titlesPerSecond.toFixed(0)} titles/s appending ${summary.unchangedResync.eventsAppended} events (median of ${RUNS})`,
);
