/*
 * Projector benchmark: fills a fresh store with a realistic event mix (5,000 titles, 10,000
 * users, ratings with re-rates and unrates, list changes, diary, preferences), then rebuilds
 * every read model from position zero (the blue/green replay path: fresh schemas, swap at
 * the end) several times. Prints JSON, then one summary line.
 *
 *   npm run projector --workspace bench -- [--runs 3] [--events 1000000] [--batch 1000]
 *     [--rebuild-batch N] [--working-set-rows N] [--no-bulk-load] [--only <projection>]
 *     [--mix realistic|ratings --titles N --users N]
 *
 * `--mix ratings` fills the store with the recommendations benchmark's synthetic catalog and
 * ratings instead (`--titles` movies, `--users` users, `--events` ratings; see
 * ../recommendations/synthetic.ts), and `--only recommendations` rebuilds that projection alone:
 * issue 12's "rebuild from 1,000,000 ratings" figure, rows written to PostgreSQL included.
 *
 * BENCH_STORE=<schema> fills that store schema once and reuses it on later runs (kept at exit),
 * so repeated measurements skip the fill.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { prepareEvents, type NewEvent } from '@reeltime/eventstore';
import { ratingStream, titleStream } from '@reeltime/schemas';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import { inTransaction } from '@reeltime/eventstore/transactions';
import { createReadModelPool } from '../../projector/src/core/db.ts';
import { ProjectorMetrics } from '../../projector/src/observability/metrics.ts';
import { projections } from '../../projector/src/projections.ts';
import { rebuild } from '../../projector/src/replay/rebuild.ts';
import { LivePublisher } from '../../projector/src/runner/live.ts';
import { projectorSettings } from '../../projector/src/settings.ts';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';
import { syntheticRatings } from '../recommendations/synthetic.ts';
import { generateEvents, type Generated } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    // Catch-up batch size and working-set bound of the build (default: the projector's own).
    'rebuild-batch': { type: 'string' },
    'working-set-rows': { type: 'string' },
    // Batch by batch instead of a fresh build's bulk load (PROJECTOR_BULK_LOAD=0), for comparison.
    'no-bulk-load': { type: 'boolean', default: false },
    only: { type: 'string' },
    mix: { type: 'string', default: 'realistic' },
    titles: { type: 'string', default: '10000' },
    users: { type: 'string', default: '100000' },
  },
});
const RUNS = Number(args.runs);
const REBUILT = args.only === undefined ? projections : projections.filter((projection) => projection.name === args.only);
if (REBUILT.length === 0) throw new Error(`no projection named ${args.only}`);
if (args.mix !== 'realistic' && args.mix !== 'ratings') throw new Error('--mix is realistic or ratings');
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);
const { DATABASE_URL, LOG_LEVEL } = benchEnv();
const BASE = `bench_pj_${process.pid}`;
const REUSED_STORE = process.env.BENCH_STORE;
const STORE_SCHEMA = REUSED_STORE ?? `${BASE}_es`;

/** BENCH_PROFILE_SQL=1: time every statement of every client by its first words (printed at the end). */
const sqlTimes = new Map<string, { n: number; ms: number }>();
if (process.env.BENCH_PROFILE_SQL) {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string }).text ?? '');
    const key = text
      .replace(/\s+/g, ' ')
      .replace(/bench_pj_\w+?\./g, '')
      .slice(0, 70);
    const started = performance.now();
    const seen = (sqlTimes.get(key)?.n ?? 0) + 1;
    if (process.env.BENCH_EXPLAIN && seen === 30 && /^(INSERT|DELETE)/.test(key) && typeof first === 'string') {
      const explained = query.apply(this, [`EXPLAIN (ANALYZE, BUFFERS) ${first}`, ...args.slice(1)]) as Promise<pg.QueryResult>;
      void explained.then((r) => process.stderr.write(`--- ${key}\n${r.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`));
      sqlTimes.set(key, { n: seen, ms: sqlTimes.get(key)?.ms ?? 0 });
      return explained as never;
    }
    const result = query.apply(this, args);
    if (result instanceof Promise) {
      void result.then(
        () => {
          const entry = sqlTimes.get(key) ?? { n: 0, ms: 0 };
          entry.n++;
          entry.ms += performance.now() - started;
          sqlTimes.set(key, entry);
        },
        () => {},
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;
}

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
    await inTransaction(store.pool, async (client) => {
      await client.query(
        `INSERT INTO ${STORE_SCHEMA}.events (stream_id, version, event_id, type, data, metadata)
         SELECT stream_id, version, event_id, type, data, metadata
           FROM json_to_recordset($1::json) AS e(stream_id text, version int, event_id uuid, type text, data json, metadata json)`,
        [JSON.stringify(rows)],
      );
    });
    rows = [];
  };
  for (const { stream, event } of args.mix === 'ratings' ? syntheticStore() : generateEvents({ events: EVENTS })) {
    const [prepared] = prepareEvents([event]);
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    rows.push({
      stream_id: stream,
      version,
      event_id: prepared!.eventId,
      type: prepared!.type,
      data: prepared!.data,
      metadata: prepared!.metadata,
    });
    count++;
    if (rows.length >= 10_000) await flush();
  }
  await flush();
  await store.pool.query(`INSERT INTO ${STORE_SCHEMA}.streams (stream_id, version) SELECT * FROM unnest($1::text[], $2::int[])`, [
    [...versions.keys()],
    [...versions.values()],
  ]);
  await store.pool.query(`VACUUM ANALYZE ${STORE_SCHEMA}.events`);
  return count;
}

/** The synthetic catalog and `--events` ratings, as store appends. */
function* syntheticStore(): Generator<Generated> {
  const synthetic = syntheticRatings({ titles: Number(args.titles), users: Number(args.users), ratings: EVENTS });
  for (const { type, data, at } of synthetic.events) {
    const metadata = { occurredAt: new Date(at).toISOString(), correlationId: 'bench' };
    if (type === 'TitleImported')
      yield { stream: titleStream(data.titleId), event: { type, data, metadata: { ...metadata, userId: null } } as NewEvent };
    else
      yield {
        stream: ratingStream(data.userId, data.titleId),
        event: { type, data, metadata: { ...metadata, userId: data.userId } } as NewEvent,
      };
  }
}

type Phases = Record<string, number>;
type Run = {
  seconds: number;
  /** CPU time of this process (every thread: the fit and scoring workers too), user + system. */
  cpuSeconds: number;
  eventsPerSecond: number;
  projections: { projection: string; events: number; seconds: number; phasesMs: Phases }[];
};
const rounded = (phases: Phases) => Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]));

await dropAll();
const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: STORE_SCHEMA, poolSize: 4 });
const fillStarted = performance.now();
const { rows: existing } = await store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${STORE_SCHEMA}.events`);
const total = existing[0]!.n > 0 ? existing[0]!.n : await fill(store);
process.stderr.write(
  `${existing[0]!.n > 0 ? 'reused' : 'filled'} ${total} events in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`,
);
const { rows: mix } = await store.pool.query<{ type: string; n: number }>(
  `SELECT type, count(*)::int AS n FROM ${STORE_SCHEMA}.events GROUP BY type ORDER BY n DESC`,
);

const log = pino({ level: LOG_LEVEL }, pino.destination(2));
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
    ...(args['rebuild-batch'] ? { PROJECTOR_REBUILD_BATCH_SIZE: args['rebuild-batch'] } : {}),
    ...(args['working-set-rows'] ? { PROJECTOR_WORKING_SET_ROWS: args['working-set-rows'] } : {}),
    ...(args['no-bulk-load'] ? { PROJECTOR_BULK_LOAD: '0' } : {}),
  });
  const pool = createReadModelPool(DATABASE_URL, 4);
  const live = new LivePublisher(settings.natsUrl, settings.subjectPrefix, log);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const results = await rebuild({ projections: REBUILT, pool, store, settings, live, metrics: new ProjectorMetrics(false), log });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!results.every((r) => r.outcome === 'swapped')) throw new Error(`rebuild did not finish: ${JSON.stringify(results)}`);
  runs.push({
    seconds,
    cpuSeconds,
    eventsPerSecond: total / seconds,
    projections: results.map(({ projection, events, seconds: s, phases }) => ({
      projection,
      events,
      seconds: s,
      phasesMs: rounded(phases),
    })),
  });
  process.stderr.write(
    `run ${run + 1}/${RUNS}: ${total} events in ${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s) = ${(total / seconds).toFixed(0)} events/s\n`,
  );
  for (const r of results)
    process.stderr.write(
      `  ${r.projection}: ${r.events} events in ${r.seconds.toFixed(1)} s, phases ms ${JSON.stringify(rounded(r.phases))}\n`,
    );
  process.stderr.write(
    `  peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  await live.close();
  await pool.end();
  const { rows: schemas } = await admin.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [
    `${BASE}_r${run}_`,
  ]);
  for (const { nspname } of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
}
if (sqlTimes.size > 0) {
  for (const [key, { n, ms }] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    process.stderr.write(`${Math.round(ms).toString().padStart(8)} ms ${String(n).padStart(6)}x  ${key}\n`);
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
