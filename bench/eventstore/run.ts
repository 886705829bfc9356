/*
 * PostgreSQL event store benchmark: single appends with expected version from 64 concurrent
 * streams, 100-event batches from 8 concurrent streams, and a catch-up read of >= 1,000,000
 * events through subscribe. Each figure is the median of several runs. Prints JSON, then one
 * summary line.
 *
 *   npm run bench -- [--runs 3] [--seconds 5] [--events 1000000] [--only single|batch|catchup]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import type { NewEvent } from '@reeltime/eventstore';
import { median, percentile } from '../stats.ts';
import { benchEnv } from '../env.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    events: { type: 'string', default: '1000000' },
    only: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const CATCH_UP_EVENTS = Number(args.events);
const ONLY = args.only;
const wanted = (name: 'single' | 'batch' | 'catchup') => ONLY === undefined || ONLY === name;
const { DATABASE_URL } = benchEnv();

const rated = (userId: string, tmdbId: number): NewEvent => ({
  type: 'TitleRated',
  data: { userId, titleId: `movie:${tmdbId}`, score: 1 + (tmdbId % 10), containsSpoilers: false },
  metadata: { userId, correlationId: randomUUID() },
});
const added = (listId: string, tmdbId: number): NewEvent => ({
  type: 'ListItemAdded',
  data: { listId, titleId: `movie:${tmdbId}` },
  metadata: { correlationId: listId },
});

async function freshStore(label: string): Promise<{ store: PostgresEventStore; drop: () => Promise<void> }> {
  const schema = `bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema, poolSize: 16 });
  return {
    store,
    drop: async () => {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** `workers` loops, each appending to its own stream with the expected version, for SECONDS. */
type Workload = { stream: (id: string) => string; events: (id: string, n: number) => NewEvent[] };

async function appendLoad(store: PostgresEventStore, workers: number, workload: Workload) {
  const latencies: number[] = [];
  let events = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const id = randomUUID();
      const stream = workload.stream(id);
      let version = 0;
      for (let n = 0; performance.now() < deadline; n++) {
        const toAppend = workload.events(id, n);
        const t = performance.now();
        const result = await store.appendToStream(stream, toAppend, { expectedVersion: version === 0 ? 'no_stream' : version });
        latencies.push(performance.now() - t);
        version = result.nextVersion;
        events += toAppend.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    eventsPerSecond: events / seconds,
    appendsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

const hundredItems = (listId: string, n: number) => Array.from({ length: 100 }, (_, k) => added(listId, n * 100 + k + 1));
const singleRating: Workload = { stream: (userId) => `rating-${userId}-movie:1`, events: (userId, n) => [rated(userId, n + 1)] };
const listBatches: Workload = { stream: (listId) => `list-${listId}`, events: hundredItems };

async function fill(store: PostgresEventStore, total: number) {
  const batches = Math.ceil(total / 100);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches) {
        next++;
        const listId = randomUUID();
        await store.appendToStream(`list-${listId}`, hundredItems(listId, 0), { expectedVersion: 'no_stream' });
      }
    }),
  );
}

async function catchUp(store: PostgresEventStore, total: number) {
  const subscription = store.subscribe({ batchSize: 5000 });
  const started = performance.now();
  let seen = 0;
  for await (const event of subscription) {
    if (event.data === undefined) throw new Error('event without data');
    if (++seen >= total) break;
  }
  await subscription.close();
  return { events: seen, eventsPerSecond: seen / ((performance.now() - started) / 1000) };
}

const results = {
  single: [] as Awaited<ReturnType<typeof appendLoad>>[],
  batch: [] as Awaited<ReturnType<typeof appendLoad>>[],
  catchUp: [] as Awaited<ReturnType<typeof catchUp>>[],
};

for (let run = 0; run < RUNS; run++) {
  if (wanted('single')) {
    const single = await freshStore('single');
    results.single.push(await appendLoad(single.store, 64, singleRating));
    await single.drop();
    process.stderr.write(
      `run ${run + 1}/${RUNS}: single ${results.single.at(-1)!.appendsPerSecond.toFixed(0)}/s p99 ${results.single.at(-1)!.p99Ms.toFixed(1)} ms\n`,
    );
  }
  if (wanted('batch')) {
    const batch = await freshStore('batch');
    results.batch.push(await appendLoad(batch.store, 8, listBatches));
    await batch.drop();
    process.stderr.write(`run ${run + 1}/${RUNS}: batch ${results.batch.at(-1)!.eventsPerSecond.toFixed(0)} events/s\n`);
  }
}

if (wanted('catchup')) {
  const { store, drop } = await freshStore('catchup');
  const fillStarted = performance.now();
  await fill(store, CATCH_UP_EVENTS);
  process.stderr.write(`filled ${CATCH_UP_EVENTS} events in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);
  await store.pool.query('VACUUM ANALYZE events');
  for (let run = 0; run < RUNS; run++) {
    results.catchUp.push(await catchUp(store, CATCH_UP_EVENTS));
    process.stderr.write(`catch-up run ${run + 1}/${RUNS}: ${results.catchUp.at(-1)!.eventsPerSecond.toFixed(0)} events/s\n`);
  }
  await drop();
}

const summary = {
  benchmark: 'eventstore-postgres',
  runs: RUNS,
  secondsPerRun: SECONDS,
  singleAppends: {
    streams: 64,
    appendsPerSecond: median(results.single.map((r) => r.appendsPerSecond)),
    p50Ms: median(results.single.map((r) => r.p50Ms)),
    p99Ms: median(results.single.map((r) => r.p99Ms)),
  },
  batchAppends: {
    streams: 8,
    eventsPerBatch: 100,
    eventsPerSecond: median(results.batch.map((r) => r.eventsPerSecond)),
    p99Ms: median(results.batch.map((r) => r.p99Ms)),
  },
  catchUp: { events: CATCH_UP_EVENTS, eventsPerSecond: median(results.catchUp.map((r) => r.eventsPerSecond)) },
  raw: results,
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  `eventstore-postgres: single appends ${summary.singleAppends.appendsPerSecond.toFixed(0)}/s (p99 ${summary.singleAppends.p99Ms.toFixed(1)} ms), ` +
    `batch ${summary.batchAppends.eventsPerSecond.toFixed(0)} events/s, catch-up ${summary.catchUp.eventsPerSecond.toFixed(0)} events/s ` +
    `(median of ${RUNS})`,
);
