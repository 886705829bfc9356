/*
 * Live + query benchmark over the whole stack, each service its own process on this machine:
 * command-api, projector and query-api on the PostgreSQL store, NATS for the notices.
 *
 * 1. End-to-end latency: PUT /ratings at a fixed 500 commands/s; for every command, the time
 *    from its HTTP response (which carries its position) to the WebSocket update with that
 *    position at a client subscribed to `feed` (50 more sockets watch title channels).
 * 2. Query latency: GET /titles/:id and GET /me/lists at a fixed 1,000 requests/s, paced (open
 *    loop, each request's latency from when it was due) or, with --load bursts, autocannon's
 *    once-a-second bursts (../load.ts says how the two differ). A floor leg puts the same load on
 *    GET /health/live, which reads nothing: what the machine allows at best.
 * Medians of --runs runs. Prints JSON, then one summary line.
 *
 *   npm run bench:live -- [--runs 3] [--seconds 10] [--rate 500] [--query-rate 1000] [--query-connections 10]
 *                         [--load paced|bursts] [--projector-batch-ms 50] [--ready-seconds 30] [--queries-only]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { titleImported } from '@reeltime/eventstore/testing';
import { titleStream } from '@reeltime/schemas';
import { median, percentile } from '../stats.ts';
import { benchEnv } from '../env.ts';
import { loadShape, runLoad, type LoadResult } from '../load.ts';
import { dropSchemas, ready, runningKdamonds, ServiceProcesses, serviceEnv, withApplicationName, withCpuPerRequest } from '../services.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    'query-rate': { type: 'string', default: '1000' },
    'query-connections': { type: 'string', default: '10' },
    // The projector closes a batch this long after its first event (its default, 50 ms, alone
    // puts the end-to-end p50 above 100 ms at 500 commands/s).
    'projector-batch-ms': { type: 'string', default: '50' },
    users: { type: 'string', default: '100' },
    titles: { type: 'string', default: '500' },
    'log-level': { type: 'string', default: 'warn' },
    // How long each service may take to start (a machine busy with other work needs longer).
    'ready-seconds': { type: 'string', default: '30' },
    // A CPU profile of each service, written into this folder when it stops.
    'cpu-prof': { type: 'string' },
    // Only the query leg (its data, titles and each user's watchlist, is seeded before the live leg).
    'queries-only': { type: 'boolean', default: false },
    // The query leg's load: paced (open loop, constant arrival rate) or bursts (autocannon); see ../load.ts.
    load: { type: 'string', default: 'paced' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const QUERY_RATE = Number(args['query-rate']);
const QUERY_CONNECTIONS = Number(args['query-connections']);
const LOAD = loadShape(args.load);
const PROJECTOR_BATCH_MS = args['projector-batch-ms'];
const USERS = Number(args.users);
const TITLES = Number(args.titles);
const { DATABASE_URL } = benchEnv();
const base = `bench_live_${process.pid}`;
const ports = { command: 4921, query: 4922, projector: 4923 };
const COMMAND = `http://127.0.0.1:${ports.command}`;
const QUERY = `http://127.0.0.1:${ports.query}`;
const env = serviceEnv(base, ports, DATABASE_URL, { PROJECTOR_BATCH_MS, LOG_LEVEL: args['log-level'] });
const services = new ServiceProcesses();
const READY_MS = Number(args['ready-seconds']) * 1000;
const profile = args['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`];

async function post(path: string, body: unknown, token?: string, method = 'POST') {
  const response = await fetch(COMMAND + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

type Client = { socket: WebSocket; received: Map<string, number> };

/** A socket that notes when each update position first arrives. */
async function subscribe(channels: string[]): Promise<Client> {
  const socket = new WebSocket(`${QUERY.replace('http', 'ws')}/live`);
  const received = new Map<string, number>();
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const subscribed = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; position?: string };
      if (message.type === 'subscribed') resolve();
      else if (message.type === 'update' && !received.has(message.position!)) received.set(message.position!, performance.now());
    }),
  );
  socket.send(JSON.stringify({ type: 'subscribe', channels }));
  await subscribed;
  return { socket, received };
}

type LiveRun = { commands: number; achievedRate: number; p50Ms: number; p99Ms: number; maxMs: number; missing: number; non2xx: number };

/** Fixed-rate commands (a timer tick every 10 ms sends the due ones), every one a new (user, title) pair. */
async function liveRun(tokens: string[], pairs: Iterator<[number, number]>, feed: Client, seconds: number): Promise<LiveRun> {
  const answered: { position: string; at: number }[] = [];
  const inFlight: Promise<void>[] = [];
  let non2xx = 0;
  const total = RATE * seconds;
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE) + 1);
    for (; sent < due; sent++) {
      const [user, tmdbId] = pairs.next().value as [number, number];
      inFlight.push(
        post(`/ratings/movie:${tmdbId}`, { score: 1 + (sent % 10) }, tokens[user], 'PUT').then((answer) => {
          if (answer.status !== 200) non2xx++;
          else answered.push({ position: answer.body.position!, at: performance.now() });
        }),
      );
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && answered.some((a) => !feed.received.has(a.position))) await sleep(20);
  const latencies = answered.filter((a) => feed.received.has(a.position)).map((a) => Math.max(0, feed.received.get(a.position)! - a.at));
  return {
    commands: answered.length,
    achievedRate: Math.round(answered.length / elapsed),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
    missing: answered.length - latencies.length,
    non2xx,
  };
}

type QueryRun = LoadResult & {
  path: string;
  /** CPU per request of query-api and of the PostgreSQL backends serving it (stretched far less than latency by a busy machine). */
  queryApiCpuMs: number | null;
  postgresCpuMs: number;
};

async function queryRun(name: string, seconds: number, setup: (i: number) => { path: string; token?: string }): Promise<QueryRun> {
  const { serviceCpuMs, ...result } = await withCpuPerRequest({ pid: queryApiPid, admin, application: QUERY_API_APPLICATION }, () =>
    runLoad({ origin: QUERY, rate: QUERY_RATE, seconds, connections: QUERY_CONNECTIONS, shape: LOAD, next: setup }),
  );
  return { path: name, ...result, queryApiCpuMs: serviceCpuMs };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
// query-api's connections carry this name, so its PostgreSQL backends can be found (CPU per request).
const QUERY_API_APPLICATION = `${base}_query`;
const queryApiUrl = withApplicationName(DATABASE_URL, QUERY_API_APPLICATION);
let queryApiPid: number | undefined;

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: `${base}_es` });
const sockets: Client[] = [];
try {
  for (let id = 1; id <= TITLES; id++) {
    await store.appendToStream(titleStream(`movie:${id}`), [titleImported(`movie:${id}`)], { expectedVersion: 'any' });
  }
  services.start('projector/src/main.ts', env, profile);
  services.start('command-api/src/main.ts', env, profile);
  await ready(COMMAND, 'command-api', READY_MS);
  queryApiPid = services.start('query-api/src/main.ts', { ...env, DATABASE_URL: queryApiUrl }, profile).pid;
  await ready(QUERY, 'query-api', READY_MS);
  await ready(`http://127.0.0.1:${ports.projector}`, 'projector', READY_MS);

  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const answer = await post('/auth/register', {
      email: `live${i}-${process.pid}@example.com`,
      password: 'bench password',
      displayName: `Live ${i}`,
    });
    if (answer.status !== 201) throw new Error(`register: ${answer.status} ${JSON.stringify(answer.body)}`);
    tokens.push(answer.body.accessToken!);
  }
  // Everything seeded is projected before measuring.
  for (let i = 0; i < 300; i++) {
    const answer = await fetch(`${QUERY}/me/lists`, { headers: { authorization: `Bearer ${tokens.at(-1)}` } });
    const body = (await answer.json()) as { items?: unknown[] };
    if (answer.ok && body.items?.length && (await fetch(`${QUERY}/titles/movie:${TITLES}`)).ok) break;
    await sleep(100);
  }

  function* shuffledPairs(): Generator<[number, number]> {
    const pairs: [number, number][] = [];
    for (let u = 0; u < USERS; u++) for (let t = 1; t <= TITLES; t++) pairs.push([u, t]);
    for (let i = pairs.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
    }
    yield* pairs;
  }
  const pairs = shuffledPairs();
  const feed = await subscribe(['feed']);
  sockets.push(feed);
  for (let i = 0; i < 50; i++) sockets.push(await subscribe([`title:movie:${1 + i}`]));

  const liveRuns: LiveRun[] = [];
  if (!args['queries-only']) await liveRun(tokens, pairs, feed, 2); // warm-up
  for (let run = 0; run < (args['queries-only'] ? 0 : RUNS); run++) {
    liveRuns.push(await liveRun(tokens, pairs, feed, SECONDS));
    await sleep(1000);
  }

  const titlePath = (i: number) => ({ path: `/titles/movie:${1 + (i % TITLES)}` });
  const listsPath = (i: number) => ({ path: '/me/lists', token: tokens[i % tokens.length] });
  const floorPath = () => ({ path: '/health/live' });
  await queryRun('warm-up', 2, floorPath);
  await queryRun('warm-up', 2, titlePath);
  await queryRun('warm-up', 2, listsPath);
  const titleRuns: QueryRun[] = [];
  const listRuns: QueryRun[] = [];
  const floorRuns: QueryRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    titleRuns.push(await queryRun('GET /titles/:id', SECONDS, titlePath));
    listRuns.push(await queryRun('GET /me/lists', SECONDS, listsPath));
    floorRuns.push(await queryRun('GET /health/live', SECONDS, floorPath));
  }

  const med = <T>(runs: T[], pick: (run: T) => number) => median(runs.map(pick));
  const summary = {
    benchmark: 'live',
    seconds: SECONDS,
    runs: RUNS,
    machine: { loadAverage: loadavg()[0], runningKdamonds: await runningKdamonds() },
    live: {
      commandsPerSecond: RATE,
      projectorBatchMs: Number(PROJECTOR_BATCH_MS),
      sockets: sockets.length,
      runs: liveRuns,
      median: {
        achievedRate: med(liveRuns, (r) => r.achievedRate),
        p50Ms: med(liveRuns, (r) => r.p50Ms),
        p99Ms: med(liveRuns, (r) => r.p99Ms),
      },
      missing: liveRuns.reduce((sum, r) => sum + r.missing, 0),
      target: { p50Ms: 15, p99Ms: 50 },
    },
    queries: {
      load: LOAD,
      requestsPerSecond: QUERY_RATE,
      connections: QUERY_CONNECTIONS,
      titles: {
        runs: titleRuns,
        median: {
          requestsPerSecond: med(titleRuns, (r) => r.requestsPerSecond),
          p50Ms: med(titleRuns, (r) => r.p50Ms),
          p99Ms: med(titleRuns, (r) => r.p99Ms),
          queryApiCpuMs: med(titleRuns, (r) => r.queryApiCpuMs ?? NaN),
          postgresCpuMs: med(titleRuns, (r) => r.postgresCpuMs),
        },
      },
      myLists: {
        runs: listRuns,
        median: {
          requestsPerSecond: med(listRuns, (r) => r.requestsPerSecond),
          p50Ms: med(listRuns, (r) => r.p50Ms),
          p99Ms: med(listRuns, (r) => r.p99Ms),
          queryApiCpuMs: med(listRuns, (r) => r.queryApiCpuMs ?? NaN),
          postgresCpuMs: med(listRuns, (r) => r.postgresCpuMs),
        },
      },
      // The same load on a route that reads nothing: the most this machine, the generator and
      // Fastify allow, so the figures above can be told apart from a noisy machine.
      floor: {
        runs: floorRuns,
        median: { p50Ms: med(floorRuns, (r) => r.p50Ms), p99Ms: med(floorRuns, (r) => r.p99Ms) },
      },
      non2xx: [...titleRuns, ...listRuns].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      target: { p99Ms: 10 },
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  const live = summary.live.median;
  const liveOk = live.p50Ms <= 15 && live.p99Ms <= 50 && summary.live.missing === 0 && live.achievedRate >= RATE * 0.95;
  const t = summary.queries.titles.median;
  const l = summary.queries.myLists.median;
  const queriesOk =
    t.p99Ms <= 10 &&
    l.p99Ms <= 10 &&
    summary.queries.non2xx === 0 &&
    Math.min(t.requestsPerSecond, l.requestsPerSecond) >= QUERY_RATE * 0.95;
  console.log(
    (args['queries-only']
      ? 'live: leg skipped (--queries-only); '
      : `live: ${live.achievedRate} commands/s → WebSocket p50 ${live.p50Ms} ms, p99 ${live.p99Ms} ms (missing ${summary.live.missing}; target p50 ≤ 15, p99 ≤ 50: ${liveOk ? 'met' : 'NOT met'}); `) +
      `queries at ${QUERY_RATE}/s ${LOAD}: GET /titles/:id p50 ${t.p50Ms} p99 ${t.p99Ms} ms (CPU ${t.queryApiCpuMs} + ${t.postgresCpuMs} ms), GET /me/lists p50 ${l.p50Ms} p99 ${l.p99Ms} ms (CPU ${l.queryApiCpuMs} + ${l.postgresCpuMs} ms) (target p99 ≤ 10: ${queriesOk ? 'met' : 'NOT met'}; CPU per request: query-api + its PostgreSQL backends); floor GET /health/live p50 ${summary.queries.floor.median.p50Ms} p99 ${summary.queries.floor.median.p99Ms} ms; load ${loadavg()[0]!.toFixed(2)}, kdamonds running ${summary.machine.runningKdamonds ?? 'none'} — median of ${RUNS} × ${SECONDS} s`,
  );
} finally {
  for (const client of sockets) client.socket.terminate();
  await services.stop();
  await store.close();
  await admin.end();
  await dropSchemas(DATABASE_URL, base);
}
