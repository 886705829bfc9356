/*
 * HTTP GET load at a fixed rate, for the query benchmarks and bench:web, in one of two shapes:
 *
 * - `paced` (the default): open loop at a constant arrival rate, as wrk2 and k6's
 *   constant-arrival-rate run it. Request i is due at start + i / rate and is sent then, whether
 *   or not earlier ones have been answered (undici queues it when every connection is busy). Its
 *   latency counts from when it was due, not from when it was sent, so a stalled server or a late
 *   generator shows in the figures instead of thinning the load (coordinated omission).
 * - `bursts`: autocannon's `overallRate`, which gives each connection rate/connections requests
 *   per second and sends them back to back at the start of every second, so the first part of
 *   each second runs at the connection count's concurrency, well above the average rate.
 *   Percentiles come from each request's own time. autocannon's own figures are kept beside them
 *   (`autocannonP99Ms`): it "corrects for coordinated omission" with an expected interval of
 *   ceil(1 / rate) = 1 ms, so every answer of L ms adds made-up samples of L-1, L-2, … 1 ms.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { percentile } from './stats.ts';

export type LoadShape = 'paced' | 'bursts';
export const LOAD_SHAPES: readonly LoadShape[] = ['paced', 'bursts'];

export type LoadOptions = {
  /** `http://host:port` */
  origin: string;
  rate: number;
  seconds: number;
  /** paced: the most requests in flight at once (more wait in undici's queue); bursts: their concurrency. */
  connections: number;
  shape: LoadShape;
  /**
   * The i-th request's path, the bearer token to send with it, if any, and (paced only) the
   * kind of request it is, when a mix wants its percentiles per kind.
   */
  next: (i: number) => { path: string; token?: string; kind?: string };
  /** Sent with every request. */
  headers?: Record<string, string>;
};

export type LoadResult = {
  shape: LoadShape;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** How late the generator's own event loop ran (p99 and max, ms): a late generator adds to every figure. */
  generatorDelayP99Ms: number;
  generatorDelayMaxMs: number;
  /**
   * CPU time of this process per request while the load ran (ms): the generator's share of the
   * machine, which it takes from the services it measures when they share the cores.
   */
  generatorCpuMsPerRequest: number;
  /** paced only: percentiles per kind of request, when `next` names kinds. */
  byKind?: Record<string, { requests: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** bursts only: autocannon's own p99, with its made-up samples (see the top of this file). */
  autocannonP99Ms?: number;
};

export function loadShape(value: string | undefined): LoadShape {
  const shape = (value ?? 'paced') as LoadShape;
  if (!LOAD_SHAPES.includes(shape)) throw new Error(`--load must be one of ${LOAD_SHAPES.join(', ')}, not ${value}`);
  return shape;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpuBefore = process.cpuUsage();
  try {
    const result = await (options.shape === 'paced' ? paced(options) : bursts(options));
    const cpu = process.cpuUsage(cpuBefore);
    return {
      ...result,
      generatorDelayP99Ms: round(delay.percentile(99) / 1e6),
      generatorDelayMaxMs: round(delay.max / 1e6),
      generatorCpuMsPerRequest: Math.round((cpu.user + cpu.system) / Math.max(1, result.requests)) / 1000,
    };
  } finally {
    delay.disable();
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

type Measured = Omit<LoadResult, 'generatorDelayP99Ms' | 'generatorDelayMaxMs' | 'generatorCpuMsPerRequest'>;

function summarize(shape: LoadShape, latencies: number[], seconds: number, non2xx: number, errors: number): Measured {
  return {
    shape,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
    non2xx,
    errors,
  };
}

async function paced({ origin, rate, seconds, connections, next, headers = {} }: LoadOptions): Promise<Measured> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const kinds = new Map<string, number[]>();
  const answers: Promise<void>[] = [];
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  try {
    for (let sent = 0; sent < total;) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const dueAt = started + (sent * 1000) / rate;
        const { path, token, kind } = next(sent);
        answers.push(
          pool
            .request({ method: 'GET', path, headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers })
            .then(async ({ statusCode, body }) => {
              await body.dump();
              const latency = performance.now() - dueAt;
              latencies.push(latency);
              if (kind !== undefined) {
                const ofKind = kinds.get(kind) ?? [];
                ofKind.push(latency);
                kinds.set(kind, ofKind);
              }
              if (statusCode < 200 || statusCode > 299) non2xx++;
            })
            .catch(() => void errors++),
        );
      }
      await sleep(1);
    }
    await Promise.all(answers);
  } finally {
    await pool.close();
  }
  const measured = summarize('paced', latencies, seconds, non2xx, errors);
  if (kinds.size === 0) return measured;
  const byKind = Object.fromEntries(
    [...kinds].map(([kind, of]) => [
      kind,
      { requests: of.length, p50Ms: round(percentile(of, 50)), p99Ms: round(percentile(of, 99)), maxMs: round(Math.max(...of)) },
    ]),
  );
  return { ...measured, byKind };
}

async function bursts({ origin, rate, seconds, connections, next, headers = {} }: LoadOptions): Promise<Measured> {
  let i = 0;
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: origin,
    connections,
    overallRate: rate,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const { path, token } = next(i++);
          return { ...request, path, headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers };
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error as Error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return {
    ...summarize('bursts', latencies, seconds, result.non2xx, result.errors + result.timeouts),
    autocannonP99Ms: result.latency.p99,
  };
}
