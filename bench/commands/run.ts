/*
 * command-api benchmark: `PUT /ratings/:titleId` over HTTP from 64 connections (autocannon),
 * each connection acting as its own registered user and rating random titles with random scores,
 * against a command-api process started here on the PostgreSQL store. Load generator, API and
 * database share this machine. Prints JSON, then one summary line.
 *
 *   npm run bench:commands -- [--runs 3] [--seconds 10] [--connections 64] [--workers 1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { titleImported } from '@reeltime/eventstore/testing';
import { titleStream } from '@reeltime/schemas';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    titles: { type: 'string', default: '500' },
    'log-level': { type: 'string', default: 'info' },
    /** Writes a V8 CPU profile of the command-api process into this folder. */
    'cpu-prof': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const TITLES = Number(args.titles);
const { DATABASE_URL } = benchEnv();
const PORT = 4911;
const BASE = `http://127.0.0.1:${PORT}`;
const storeSchema = `bench_cmd_es_${process.pid}`;
const commandSchema = `bench_cmd_${process.pid}`;

async function startApi(): Promise<ChildProcess> {
  const profile = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', fileURLToPath(new URL('../../command-api/src/main.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        DATABASE_URL,
        EVENTSTORE_SCHEMA: storeSchema,
        COMMAND_SCHEMA: commandSchema,
        COMMAND_API_PORT: String(PORT),
        JWT_SECRET: randomBytes(32).toString('base64url'),
        // The per-user limit protects production; the bench measures the command path itself.
        RATE_LIMIT_PER_MINUTE: '100000000',
        AUTH_ATTEMPTS_PER_MINUTE: '100000',
        LOG_LEVEL: args['log-level'],
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`${BASE}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return child;
    await sleep(100);
  }
  throw new Error('command-api did not become ready');
}

async function register(i: number): Promise<string> {
  const response = await fetch(`${BASE}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench${i}-${process.pid}@example.com`, password: 'bench password', displayName: `Bench ${i}` }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

type Run = { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; total: number };

async function load(tokens: string[], seconds: number): Promise<Run> {
  let next = 0;
  const result = await autocannon({
    url: BASE,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request, context: { token?: string }) => {
          context.token ??= tokens[next++ % tokens.length];
          const tmdbId = 1 + Math.floor(Math.random() * TITLES);
          return {
            ...request,
            path: `/ratings/movie:${tmdbId}`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` },
            body: JSON.stringify({ score: 1 + Math.floor(Math.random() * 10) }),
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
const seedStore = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: storeSchema });
let api: ChildProcess | undefined;
try {
  for (let id = 1; id <= TITLES; id++) {
    await seedStore.appendToStream(titleStream(`movie:${id}`), [titleImported(`movie:${id}`)], { expectedVersion: 'any' });
  }
  api = await startApi();
  const tokens = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => register(i)));
  await load(tokens, 2); // warm-up: JIT, connection pools, title cache
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load(tokens, SECONDS));
  const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${storeSchema}.events WHERE type = 'TitleRated'`);
  const summary = {
    benchmark: 'commands',
    command: 'PUT /ratings/:titleId',
    connections: CONNECTIONS,
    seconds: SECONDS,
    runs,
    median: {
      requestsPerSecond: Math.round(median(runs.map((r) => r.requestsPerSecond))),
      p50Ms: median(runs.map((r) => r.p50)),
      p99Ms: median(runs.map((r) => r.p99)),
    },
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    ratingEventsAppended: rows[0].n,
    target: { requestsPerSecond: 2000, p99Ms: 50 },
  };
  console.log(JSON.stringify(summary, null, 2));
  const ok = summary.median.requestsPerSecond >= 2000 && summary.median.p99Ms <= 50 && summary.non2xx === 0;
  console.log(
    `commands: ${summary.median.requestsPerSecond} PUT /ratings/s, p50 ${summary.median.p50Ms} ms, p99 ${summary.median.p99Ms} ms (median of ${RUNS} × ${SECONDS} s, ${CONNECTIONS} connections, non-2xx ${summary.non2xx}) — target ≥ 2000/s, p99 ≤ 50 ms: ${ok ? 'met' : 'NOT met'}`,
  );
} finally {
  api?.kill('SIGTERM');
  await sleep(500);
  await seedStore.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${storeSchema} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${commandSchema} CASCADE`);
  await admin.end();
}
