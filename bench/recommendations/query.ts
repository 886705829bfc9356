/*
 * Query latency of the recommendation lookups (issue 12): projector and query-api each their own
 * process on this machine, on the PostgreSQL store, NATS for the notices.
 *
 * 1. GET /me/recommendations at a fixed --rate, paced (open loop, each request's latency from
 *    when it was due) or with --load bursts autocannon's once-a-second bursts (../load.ts), a
 *    mix over --users people: 60 % the home page's first page (`limit=12`), 15 % one media type
 *    (`type=movie|tv&limit=20`), 15 % the second page (`cursor=` from the first), 10 % people
 *    with no history (the '*' cold-start rows); the JSON has each kind's p99 too.
 * 2. GET /titles/:id/similar?limit=12 at the same rate, over every title.
 * 3. Control: GET /titles/:id at the same rate (bench:live's query leg, p99 3 ms on a quiet
 *    machine), so a slow run can be told apart from a busy machine; the load average before and
 *    after is in the JSON too, and per leg the query-api's CPU time per request (from /proc),
 *    which other tenants of the machine distort far less than they distort latency.
 * 4. Floor: GET /health/live at the same rate, which reads nothing: the p99 that this machine
 *    and this load generator allow at best in the sitting (as bench:live's floor leg). Every leg
 *    reports the generator's own CPU per request too, which it takes from the services.
 * Medians of --runs runs, the four legs taking turns. Prints JSON, then one summary line.
 * Target: GET /me/recommendations p99 <= 10 ms at 1,000/s.
 *
 * Rows come from the recommendations projection: people and their ratings are appended as
 * events, and the bench waits until everyone with ratings has rows and the projector is idle.
 *
 *   npm run bench:recommendations:query -- [--runs 3] [--seconds 10] [--rate 1000] [--connections 10] [--load paced|bursts]
 *     [--users 2000] [--titles 3000] [--ratings 20]
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { NewEvent } from '@reeltime/eventstore';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { TMDB_GENRES, ratingStream, titleStream, userStream } from '@reeltime/schemas';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';
import { loadShape, runLoad, type LoadResult } from '../load.ts';
import {
  dropSchemas,
  runningKdamonds,
  ServiceProcesses,
  serviceEnv,
  settled,
  withApplicationName,
  withCpuPerRequest,
} from '../services.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '10' },
    // paced (open loop, constant arrival rate) or bursts (autocannon); see ../load.ts.
    load: { type: 'string', default: 'paced' },
    users: { type: 'string', default: '2000' },
    titles: { type: 'string', default: '3000' },
    ratings: { type: 'string', default: '20' },
    source: { type: 'string', default: 'auto' },
    'log-level': { type: 'string', default: 'warn' },
    // A CPU profile of query-api, written into this folder when it stops.
    'cpu-prof': { type: 'string' },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const LOAD = loadShape(args.load);
const USERS = Number(args.users);
const TITLES = Number(args.titles);
const RATINGS = Number(args.ratings);
const TARGET_P99_MS = 10;
const { DATABASE_URL } = benchEnv();
const base = `bench_recq_${process.pid}`;
const ports = { query: 4932, projector: 4933 };
const QUERY = `http://127.0.0.1:${ports.query}`;
const JWT_SECRET = randomBytes(32).toString('base64url');
const READ = `${base}_read`;
const profile = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`];
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// No command-api: people and ratings go straight into the store; tokens are signed here.
const env = serviceEnv(base, { command: 0, ...ports }, DATABASE_URL, { JWT_SECRET, LOG_LEVEL: args['log-level'] });
const services = new ServiceProcesses();

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(200);
  }
}

/** An access token as command-api signs it (HS256, audience and issuer `reeltime`): no sign-up per person. */
function accessToken(userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, aud: 'reeltime', iss: 'reeltime', iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

/** A deterministic generator, so every run of the bench sees the same catalog and tastes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(12);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// ---- the catalog and the people: events, as ingest and command-api would append them ----

type Title = { titleId: `${'movie' | 'tv'}:${number}`; mediaType: 'movie' | 'tv' };
const titles: Title[] = Array.from({ length: TITLES }, (_, i) => {
  const mediaType = i % 3 === 2 ? 'tv' : 'movie';
  return { titleId: `${mediaType}:${i + 1}`, mediaType };
});

function titleImported({ titleId, mediaType }: Title, i: number): NewEvent {
  const genres = TMDB_GENRES.filter((genre) => (genre.mediaTypes as readonly string[]).includes(mediaType)).map((genre) => genre.id);
  const genreIds = [...new Set([pick(genres), pick(genres), pick(genres)])].slice(0, 1 + (i % 3));
  const cast = Array.from({ length: 5 }, (_, order) => {
    const personId = 1 + Math.floor(random() * 800);
    return { personId, name: `Actor ${personId}`, character: `Role ${order}`, order };
  });
  const directorId = 10_000 + Math.floor(random() * 300);
  const year = 1960 + Math.floor(random() * 65);
  return {
    type: 'TitleImported',
    data: {
      titleId,
      mediaType,
      tmdbId: i + 1,
      imdbId: null,
      title: `Title ${i + 1}`,
      originalTitle: `Title ${i + 1}`,
      overview: '',
      releaseDate: `${year}-06-01`,
      year,
      runtimeMinutes: 100,
      originalLanguage: pick(['en', 'en', 'en', 'fr', 'ja', 'ko']),
      genreIds,
      keywords: [],
      cast: [...new Map(cast.map((c) => [c.personId, c])).values()],
      directors: [{ personId: directorId, name: `Director ${directorId}` }],
      posterPath: `/p${i + 1}.jpg`,
      backdropPath: null,
      popularity: Math.round(1000 * random() ** 3) / 10,
      voteAverage: 5 + 4 * random(),
      voteCount: 100,
      watchProviders: {},
    },
  } as NewEvent;
}

// 90 % have rated titles (their own rows); 10 % never did anything (the '*' rows).
const people = Array.from({ length: USERS }, (_, i) => ({ userId: randomUUID() as string, rates: i % 10 !== 9 }));
/** Popular titles get most ratings, as in any catalog. */
const rated = (count: number) => {
  const chosen = new Set<Title>();
  while (chosen.size < Math.min(count, TITLES)) chosen.add(titles[Math.floor(TITLES * random() ** 2)]!);
  return [...chosen];
};
const ratingsOf = new Map(people.filter((p) => p.rates).map((p) => [p.userId, rated(RATINGS)]));

// ---- measuring ----

type Run = LoadResult & {
  cpuMsPerRequest: number | null;
  /** CPU per request of the PostgreSQL backends serving query-api. */
  postgresCpuMsPerRequest: number;
};

let queryApiPid: number | undefined;
// query-api's connections carry this name, so its PostgreSQL backends can be found.
const QUERY_API_APPLICATION = `${base}_query`;

async function measure(seconds: number, next: (i: number) => { path: string; token?: string }): Promise<Run> {
  const { serviceCpuMs, postgresCpuMs, ...result } = await withCpuPerRequest(
    { pid: queryApiPid, admin, application: QUERY_API_APPLICATION },
    () => runLoad({ origin: QUERY, rate: RATE, seconds, connections: CONNECTIONS, shape: LOAD, next }),
  );
  return { ...result, cpuMsPerRequest: serviceCpuMs, postgresCpuMsPerRequest: postgresCpuMs };
}

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: `${base}_es` });
try {
  const setupStarted = performance.now();
  for (let i = 0; i < titles.length; i += 50) {
    await Promise.all(
      titles
        .slice(i, i + 50)
        .map((title, j) => store.appendToStream(titleStream(title.titleId), [titleImported(title, i + j)], { expectedVersion: 'any' })),
    );
  }
  const appends: (() => Promise<unknown>)[] = [];
  for (const person of people) {
    appends.push(() =>
      store.appendToStream(
        userStream(person.userId),
        [{ type: 'UserRegistered', data: { userId: person.userId, displayName: 'Bench' } } as NewEvent],
        { expectedVersion: 'any' },
      ),
    );
    for (const title of ratingsOf.get(person.userId) ?? []) {
      const score = 1 + Math.floor(random() * 10);
      appends.push(() =>
        store.appendToStream(
          ratingStream(person.userId, title.titleId),
          [{ type: 'TitleRated', data: { userId: person.userId, titleId: title.titleId, score, containsSpoilers: false } } as NewEvent],
          { expectedVersion: 'any' },
        ),
      );
    }
  }
  for (let i = 0; i < appends.length; i += 100) await Promise.all(appends.slice(i, i + 100).map((append) => append()));
  // Not headPosition(): that stops below the cluster-wide xmin horizon.
  const last = await store.lastAppendedPosition();
  const appendedMs = performance.now() - setupStarted;

  const projectorPid = services.start('projector/src/main.ts', env).pid;
  queryApiPid = services.start(
    'query-api/src/main.ts',
    {
      ...env,
      DATABASE_URL: withApplicationName(DATABASE_URL, QUERY_API_APPLICATION),
    },
    profile,
  ).pid;
  await until('query-api ready', 60_000, async () => (await fetch(`${QUERY}/health/ready`)).ok);
  await until(
    'catalog and activity projected',
    600_000,
    async () => (await fetch(`${QUERY}/titles/${titles.at(-1)!.titleId}`, { headers: { 'x-min-position': last } })).ok,
  );
  const warm = people.filter((p) => p.rates);
  const token = accessToken(warm[0]!.userId);
  await until(
    'recommendations projected',
    600_000,
    async () => (await fetch(`${QUERY}/me/recommendations`, { headers: { 'x-min-position': last, authorization: `Bearer ${token}` } })).ok,
  );
  // Someone the engine has not ranked yet would get the cold-start rows: wait for everyone.
  await until('everyone with ratings has rows', 600_000, async () => {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(DISTINCT user_id)::int AS n FROM ${READ}.recommendations WHERE user_id <> '*'`,
    );
    return rows[0]!.n >= warm.length;
  });
  // Rows for everyone can come before the projector is done: a refit on the whole seed and the
  // sweep re-scoring everyone after it take a core for a while, and would be measured as latency.
  const settledMs = await settled(projectorPid);
  const setupMs = performance.now() - setupStarted;

  const tokens = new Map(people.map((p) => [p.userId, accessToken(p.userId)]));
  const cold = people.filter((p) => !p.rates);
  // Second pages as a client gets them: the first page's nextCursor.
  const cursors = new Map<string, string>();
  for (const person of warm.slice(0, 500)) {
    const answer = await fetch(`${QUERY}/me/recommendations?limit=20`, {
      headers: { authorization: `Bearer ${tokens.get(person.userId)}` },
    });
    const body = (await answer.json()) as { nextCursor: string | null };
    if (body.nextCursor) cursors.set(person.userId, body.nextCursor);
  }
  const paged = [...cursors.keys()];
  if (paged.length === 0) throw new Error('no one has a second page of recommendations');

  const recommendations = (i: number) => {
    const slot = i % 20;
    if (slot < 12) {
      const person = warm[(i * 7919) % warm.length]!;
      return { path: '/me/recommendations?limit=12', token: tokens.get(person.userId), kind: 'firstPage' };
    }
    if (slot < 15) {
      const person = warm[(i * 104_729) % warm.length]!;
      return { path: `/me/recommendations?limit=20&type=${slot % 2 ? 'tv' : 'movie'}`, token: tokens.get(person.userId), kind: 'oneType' };
    }
    if (slot < 18) {
      const userId = paged[i % paged.length]!;
      return { path: `/me/recommendations?limit=20&cursor=${cursors.get(userId)}`, token: tokens.get(userId), kind: 'secondPage' };
    }
    return { path: '/me/recommendations?limit=12', token: tokens.get(cold[i % cold.length]!.userId), kind: 'coldStart' };
  };
  const similar = (i: number) => ({ path: `/titles/${titles[(i * 7919) % titles.length]!.titleId}/similar?limit=12` });
  const control = (i: number) => ({ path: `/titles/${titles[(i * 104_729) % titles.length]!.titleId}` });
  const floor = () => ({ path: '/health/live' });

  const loadBefore = loadavg().map((load) => round(load));
  await measure(2, recommendations); // warm-up: connections, prepared statements, caches
  await measure(2, similar);
  await measure(2, control);
  await measure(2, floor);
  const recommendationRuns: Run[] = [];
  const similarRuns: Run[] = [];
  const controlRuns: Run[] = [];
  const floorRuns: Run[] = [];
  for (let run = 0; run < RUNS; run++) {
    recommendationRuns.push(await measure(SECONDS, recommendations));
    similarRuns.push(await measure(SECONDS, similar));
    controlRuns.push(await measure(SECONDS, control));
    floorRuns.push(await measure(SECONDS, floor));
  }

  const summarize = (runs: Run[]) => ({
    runs,
    median: {
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p90Ms: median(runs.map((r) => r.p90Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      cpuMsPerRequest: runs.some((r) => r.cpuMsPerRequest === null) ? null : median(runs.map((r) => r.cpuMsPerRequest!)),
      postgresCpuMsPerRequest: median(runs.map((r) => r.postgresCpuMsPerRequest)),
      generatorCpuMsPerRequest: median(runs.map((r) => r.generatorCpuMsPerRequest)),
      // Each kind of request in the mix (recommendations only): a slow kind shows apart from a slow machine.
      ...(runs[0]?.byKind && {
        p99MsByKind: Object.fromEntries(
          Object.keys(runs[0].byKind).map((kind) => [kind, median(runs.map((r) => r.byKind?.[kind]?.p99Ms ?? NaN))]),
        ),
      }),
    },
    non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
  });
  const summary = {
    benchmark: 'recommendations-query',
    seconds: SECONDS,
    runs: RUNS,
    requestsPerSecond: RATE,
    load: LOAD,
    connections: CONNECTIONS,
    data: {
      users: USERS,
      coldStartUsers: cold.length,
      titles: TITLES,
      ratingsPerUser: RATINGS,
      recommendationRows: (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${READ}.recommendations`)).rows[0]!.n,
      similarRows: (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${READ}.similar_titles`)).rows[0]!.n,
    },
    setup: { appendMs: Math.round(appendedMs), readyMs: Math.round(setupMs), projectorSettledMs: settledMs },
    machine: {
      cpus: availableParallelism(),
      loadAverage: { before: loadBefore, after: loadavg().map((load) => round(load)) },
      runningKdamonds: await runningKdamonds(),
    },
    mix: { firstPage: 0.6, oneType: 0.15, secondPage: 0.15, coldStart: 0.1 },
    recommendations: summarize(recommendationRuns),
    similar: summarize(similarRuns),
    control: { path: 'GET /titles/:id', ...summarize(controlRuns) },
    floor: { path: 'GET /health/live', ...summarize(floorRuns) },
    target: { p99Ms: TARGET_P99_MS, requestsPerSecond: RATE },
  };
  console.log(JSON.stringify(summary, null, 2));
  const r = summary.recommendations;
  const s = summary.similar;
  const c = summary.control;
  const f = summary.floor;
  const met = (x: typeof r) => x.median.p99Ms <= TARGET_P99_MS && x.non2xx === 0 && x.median.requestsPerSecond >= RATE * 0.95;
  console.log(
    `recommendations query (${USERS} people, ${TITLES} titles) at ${RATE}/s ${LOAD}: ` +
      `GET /me/recommendations p50 ${r.median.p50Ms} p99 ${r.median.p99Ms} ms (${r.median.requestsPerSecond}/s, ${r.median.cpuMsPerRequest} + ${r.median.postgresCpuMsPerRequest} ms CPU each in query-api + PostgreSQL, non-2xx ${r.non2xx}; target p99 ≤ ${TARGET_P99_MS}: ${met(r) ? 'met' : 'NOT met'}), ` +
      `GET /titles/:id/similar p50 ${s.median.p50Ms} p99 ${s.median.p99Ms} ms (${s.median.cpuMsPerRequest} + ${s.median.postgresCpuMsPerRequest} ms CPU; ${met(s) ? 'met' : 'NOT met'}); ` +
      `control GET /titles/:id p50 ${c.median.p50Ms} p99 ${c.median.p99Ms} ms (${c.median.cpuMsPerRequest} + ${c.median.postgresCpuMsPerRequest} ms CPU); ` +
      `floor GET /health/live p50 ${f.median.p50Ms} p99 ${f.median.p99Ms} ms; load generator ${r.median.generatorCpuMsPerRequest} ms CPU per request; load ${summary.machine.loadAverage.before[0]} → ${summary.machine.loadAverage.after[0]} on ${summary.machine.cpus} CPUs, kdamonds running ${summary.machine.runningKdamonds ?? 'none'} — median of ${RUNS} × ${SECONDS} s`,
  );
} finally {
  await services.stop();
  await store.close();
  await admin.end();
  await dropSchemas(DATABASE_URL, base);
}
