/*
 * The services as separate processes, as in production, in schemas of one benchmark run: the
 * one way the end-to-end benchmarks (live, web, import, recommendations query) start, await and
 * stop them, and clean up after themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export type ServicePorts = { command: number; query: number; projector: number };

/** A path from the repository's root. */
export const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * Every service's variables for a run whose schemas all start with `base`, on `ports`, with
 * production's per-user limits lifted (they protect people from each other; a benchmark measures
 * the paths themselves). A TMDb credential of the caller's is not passed on (`overrides` may set one).
 */
export function serviceEnv(base: string, ports: ServicePorts, databaseUrl: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { TMDB_READ_ACCESS_TOKEN: _token, TMDB_API_KEY: _key, ...inherited } = process.env;
  return {
    ...inherited,
    DATABASE_URL: databaseUrl,
    EVENT_STORE: 'postgres',
    EVENTSTORE_SCHEMA: `${base}_es`,
    COMMAND_SCHEMA: `${base}_cmd`,
    PROJECTOR_SCHEMA: `${base}_core`,
    READ_SCHEMA: `${base}_read`,
    PROJECTOR_SCHEMA_PREFIX: `${base}_rm_`,
    INGEST_SCHEMA: `${base}_ingest`,
    LIVE_SUBJECT_PREFIX: base,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    COMMAND_API_PORT: String(ports.command),
    QUERY_API_PORT: String(ports.query),
    PROJECTOR_PORT: String(ports.projector),
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_ATTEMPTS_PER_MINUTE: '100000',
    LIVE_CONNECTS_PER_MINUTE: '100000',
    ...overrides,
  };
}

/** The processes a run started; `stop` ends them all (SIGTERM, then SIGKILL after 10 s). */
export class ServiceProcesses {
  readonly #children: ChildProcess[] = [];

  /**
   * `node [nodeArgs] --import tsx <path>`; its stderr shows, its stdout (the JSON log) goes to
   * `log` (a file descriptor) or nowhere.
   */
  start(path: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = [], log: number | 'ignore' = 'ignore'): ChildProcess {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fromRoot(path)], {
      env,
      stdio: ['ignore', log, 'inherit'],
    });
    this.#children.push(child);
    return child;
  }

  async stop(): Promise<void> {
    const running = this.#children.filter((child) => child.exitCode === null && child.signalCode === null);
    const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of running) child.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((child) => child.exitCode === null && child.kill('SIGKILL')), 10_000);
    await Promise.all(exited);
    clearTimeout(killer);
  }
}

/** Waits for `<url>/health/ready` to answer 2xx. */
export async function ready(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answered = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

/** Drops every schema whose name starts with `base`. */
export async function dropSchemas(databaseUrl: string, base: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [base]);
    for (const { nspname } of rows) await admin.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await admin.end();
  }
}

/**
 * CPU time (user + system) of a process so far, in ms, from /proc (Linux; null elsewhere).
 * Per request it is a service's own cost, which a busy machine stretches far less than it
 * stretches latencies.
 */
export async function cpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/**
 * Waits until the process `pid` has used less than `share` of a core over `windowMs` (at most
 * `timeoutMs`), so a measurement does not start while it still works in the background (the
 * projector refitting and re-scoring everyone after a seed). Answers how long that took.
 */
export async function settled(pid: number | undefined, { share = 0.05, windowMs = 2000, timeoutMs = 180_000 } = {}): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = await cpuMs(pid);
    await sleep(windowMs);
    const after = await cpuMs(pid);
    if (before === null || after === null || after - before < share * windowMs) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs) throw new Error(`process ${pid} still busy after ${timeoutMs / 1000} s`);
  }
}

/**
 * How many of the kernel's memory monitors (DAMON's kdamond threads) are running: null where the
 * kernel has none. On the machines these benchmarks run on, one samples physical memory every
 * 0.5 s and takes a core for tens of ms each time: at 1,000 requests/s a burst of slow requests
 * every ~0.54 s. One source of a query leg's tail among others (10 s traces of one sitting:
 * control p99 17.4-17.5 ms with it, 6.7-10.6 ms with it stopped; whole runs of the benchmark
 * ranged from 5 to 72 ms either way), so the query benchmarks report it with their figures.
 */
export async function runningKdamonds(): Promise<number | null> {
  const admin = '/sys/kernel/mm/damon/admin/kdamonds';
  try {
    const count = Number((await readFile(`${admin}/nr_kdamonds`, 'utf8')).trim());
    const states = await Promise.all(Array.from({ length: count }, (_, i) => readFile(`${admin}/${i}/state`, 'utf8')));
    return states.filter((state) => state.trim() === 'on').length;
  } catch {
    return null;
  }
}

/** `databaseUrl` with its connections named `applicationName` (see `backendsCpu`). */
export function withApplicationName(databaseUrl: string, applicationName: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/**
 * CPU so far of each PostgreSQL backend serving a connection named `applicationName` (the
 * server runs on this machine): what a service's queries cost the database. Two readings'
 * difference is `backendsCpuSince`.
 */
export async function backendsCpu(admin: pg.Client, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  const readings = await Promise.all(rows.map(async ({ pid }) => [pid, await cpuMs(pid)] as const));
  return new Map(readings.filter((reading): reading is [number, number] => reading[1] !== null));
}

/** CPU ms the backends spent between two `backendsCpu` readings (a backend that ended meanwhile is not counted). */
export function backendsCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export type ServiceCpu = { pid: number | undefined; admin: pg.Client; application: string };

/**
 * `work`'s result with the CPU it cost, per request it reports: the service process's (null off
 * Linux) and that of the PostgreSQL backends serving it, each in ms rounded to 3 decimals.
 */
export async function withCpuPerRequest<T extends { requests: number }>(
  service: ServiceCpu,
  work: () => Promise<T>,
): Promise<T & { serviceCpuMs: number | null; postgresCpuMs: number }> {
  const [cpuBefore, backendsBefore] = [await cpuMs(service.pid), await backendsCpu(service.admin, service.application)];
  const result = await work();
  const [cpuAfter, backendsAfter] = [await cpuMs(service.pid), await backendsCpu(service.admin, service.application)];
  const perRequest = (ms: number) => Math.round((ms / Math.max(1, result.requests)) * 1000) / 1000;
  return {
    ...result,
    serviceCpuMs: cpuAfter === null || cpuBefore === null ? null : perRequest(cpuAfter - cpuBefore),
    postgresCpuMs: perRequest(backendsCpuSince(backendsBefore, backendsAfter)),
  };
}
