/*
 * Projector benchmark: fills a fresh store with a realistic event mix (5,000 titles, 10,000
 * users, ratings with re-rates and unrates, list changes, diary, preferences), then rebuilds
 * every read model from position zero (the blue/green replay path: fresh schemas, swap at
 * the end) several times. Prints JSON, then one summary line.
 *
 *   npm run projector --workspace bench -- [--runs 3] [--events 1000000] [--batch 1000]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { prepareEvents } from '@reeltime/eventstore';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import { createReadModelPool } from '../../projector/src/core/db.ts';
import { ProjectorMetrics } from '../../projector/src/observability/metrics.ts';
import { projections } from '../../projector/src/projections.ts';
import { rebuild } from '../../projector/src/replay/rebuild.ts';
import { LivePublisher } from '../../projector/src/runner/live.ts';
import { projectorSettings } from '../../projector/src/settings.ts';
import { median } from '../stats.ts';
import { generateEvents } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
  },
});
const RUNS = Number(args.runs);
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BASE = `bench_pj_${process.pid}`;
const STORE_SCHEMA = `${BASE}_es`;

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const dropAll = async () => {
  const { rows } = await admin.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [BASE]);
  for (const { nspname } of rows) await admin.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
};

/**
 * Writes the generated events in 10,000-event transactions straight into the store's table
 * (each event validated and enveloped by the store's own prepareEvents): most streams get one
 * event (a rating stream is per user and title), so per-stream appends would measure the
 * filler, not the projector.
 */
async function fill(store: PostgresEventStore): Promise<number> {
  const versions = new Map<string, number>();
  let rows: { stream_id: string; version: number; event_id: string; type: string; data: unknown; metadata: unknown }[] = [];
  let count = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${STORE_SCHEMA}.events (stream_id, version, event_id, type, data, metadata)
         SELECT stream_id, version, event_id, type, data, metadata
           FROM json_to_recordset($1::json) AS e(stream_id text, version int, event_id uuid, type text, data json, metadata json)`,
        [JSON.stringify(rows)],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    rows = [];
  };
  for (const { stream, event } of generateEvents({ events: EVENTS })) {
    const [prepared] = prepareEvents([event]);
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    rows.push({ stream_id: stream, version, event_id: prepared!.eventId, type: prepared!.type, data: prepared!.data, metadata: prepared!.metadata });
    count++;
    if (rows.length >= 10_000) await flush();
  }
  await flush();
  await store.pool.query(
    `INSERT INTO ${STORE_SCHEMA}.streams (stream_id, version) SELECT * FROM unnest($1::text[], $2::int[])`,
    [[...versions.keys()], [...versions.values()]],
  );
  await store.pool.query(`VACUUM ANALYZE ${STORE_SCHEMA}.events`);
  return count;
}

type Run = { seconds: number; eventsPerSecond: number; projections: { projection: string; events: number; seconds: number }[] };

await dropAll();
const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: STORE_SCHEMA, poolSize: 4 });
const fillStarted = performance.now();
const total = await fill(store);
process.stderr.write(`filled ${total} events in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);
const { rows: mix } = await store.pool.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM ${STORE_SCHEMA}.events GROUP BY type ORDER BY n DESC`);

const log = pino({ level: 'warn' }, pino.destination(2));
const runs: Run[] = [];
for (let run = 0; run < RUNS; run++) {
  const settings = projectorSettings({
    DATABASE_URL,
    EVENTSTORE_SCHEMA: STORE_SCHEMA,
    PROJECTOR_SCHEMA: `${BASE}_r${run}_core`,
    READ_SCHEMA: `${BASE}_r${run}_read`,
    PROJECTOR_SCHEMA_PREFIX: `${BASE}_r${run}_`,
    LIVE_SUBJECT_PREFIX: BASE,
    PROJECTOR_BATCH_SIZE: String(BATCH),
  });
  const pool = createReadModelPool(DATABASE_URL, 4);
  const live = new LivePublisher(settings.natsUrl, settings.subjectPrefix, log);
  const started = performance.now();
  const results = await rebuild({ projections, pool, store, settings, live, metrics: new ProjectorMetrics(false), log });
  const seconds = (performance.now() - started) / 1000;
  if (!results.every((r) => r.outcome === 'swapped')) throw new Error(`rebuild did not finish: ${JSON.stringify(results)}`);
  runs.push({ seconds, eventsPerSecond: total / seconds, projections: results.map(({ projection, events, seconds: s }) => ({ projection, events, seconds: s })) });
  process.stderr.write(`run ${run + 1}/${RUNS}: ${total} events in ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(0)} events/s\n`);
  await live.close();
  await pool.end();
  for (const suffix of ['core', 'read', 'catalog', 'activity']) {
    const { rows } = await admin.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [`${BASE}_r${run}_${suffix}`]);
    for (const { nspname } of rows) await admin.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
  }
}
await store.close();
if (!process.env.BENCH_KEEP_STORE) await dropAll();
await admin.end();

const summary = {
  benchmark: 'projector-rebuild',
  runs: RUNS,
  events: total,
  batchSize: BATCH,
  mix: Object.fromEntries(mix.map((m) => [m.type, m.n])),
  rebuild: { eventsPerSecond: median(runs.map((r) => r.eventsPerSecond)), seconds: median(runs.map((r) => r.seconds)) },
  raw: runs,
};
console.log(JSON.stringify(summary, null, 2));
console.log(
  `projector-rebuild: ${summary.rebuild.eventsPerSecond.toFixed(0)} events/s rebuilding every read model over ${total} events ` +
    `(${summary.rebuild.seconds.toFixed(1)} s, batch ${BATCH}, median of ${RUNS})`,
);
