/*
 * Web app benchmark: every service on this machine, each its own process (ingest imports the
 * demo catalog and exits; projector, command-api, query-api; the built web app on adapter-node),
 * PostgreSQL and NATS as `npm start` uses them, and Debian's headless Chromium.
 *
 * 1. Largest Contentful Paint of `/` and of a title page: a fresh browser context (cold cache)
 *    per run, PerformanceObserver('largest-contentful-paint'); median of --runs runs.
 * 2. JavaScript on first load of `/`: every script response of a cold load, gzip-compressed here
 *    with zlib (level 9, as adapter-node's precompress), and what actually crossed the wire.
 * 3. Server-rendered title pages: paced at a fixed --rate (default 200/s, the target; open loop,
 *    each page timed from when it was due, ../load.ts) for p99, and flat out under autocannon
 *    with --connections for the ceiling; title ids rotate over
 *    100 titles of the catalog. Medians of --runs runs.
 * Prints JSON, then one summary line. Targets (issue 11): LCP <= 1.0 s, JS <= 100 KB gzip,
 * >= 200 pages/s with p99 <= 150 ms.
 *
 *   npm run bench:web -- [--runs 5] [--seconds 10] [--rate 200] [--connections 10] [--title movie:603] [--no-community]
 *   WEB_URL=http://127.0.0.1:3000 QUERY_API_URL=http://127.0.0.1:4002 npm run bench:web   # running services
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { runLoad, type LoadResult } from '../load.ts';
import type { Browser } from 'playwright-core';
import { createPostgresEventStore } from '@reeltime/eventstore/postgres';
import { chromiumMissing, launchChromium } from '../../web/e2e/browser.ts';
import { ensureWebBuild } from '../../web/scripts/build.ts';
import { freePort, startWebServer } from '../../web/e2e/stack.ts';
import { median } from '../stats.ts';
import { benchEnv } from '../env.ts';
import { dropSchemas, ready, ServiceProcesses, serviceEnv } from '../services.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '10' },
    title: { type: 'string', default: 'movie:603' },
    // The demo community (people, ratings, reviews, lists) makes title pages as full as on a
    // first `npm start`, and takes about a minute or two to seed.
    'no-community': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const RUNS = Math.max(1, Number(args.runs));
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const TITLE = args.title;
const TARGET = { lcpMs: 1000, jsKbGzip: 100, pagesPerSecond: 200, p99Ms: 150 };
const { DATABASE_URL } = benchEnv();
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const missing = chromiumMissing();
if (missing) {
  console.error(missing.replace('browser tests skipped', 'bench:web needs Chromium'));
  process.exit(1);
}

// ---- the stack: each service its own process, in schemas of this run ----

const services = new ServiceProcesses();
let stopWeb = async () => {};
let schemasMade = false;
const base = `bench_web_${process.pid}`;

async function startStack(): Promise<{ web: string; query: string; setup: Record<string, number> }> {
  const ports = { command: await freePort(), query: await freePort(), projector: await freePort() };
  const command = `http://127.0.0.1:${ports.command}`;
  const query = `http://127.0.0.1:${ports.query}`;
  const env = serviceEnv(base, ports, DATABASE_URL, {
    LOG_LEVEL: args['log-level'],
    INGEST_DEMO_COMMUNITY: args['no-community'] ? 'false' : 'true',
  });
  schemasMade = true;

  const started = performance.now();
  services.start('projector/src/main.ts', env, ['--max-semi-space-size=64']);
  services.start('command-api/src/main.ts', env);
  await ready(command, 'command-api');
  services.start('query-api/src/main.ts', env);
  await ready(query, 'query-api');

  // Ingest without a TMDb credential: the demo catalog (and demo community), then exit 0.
  const ingestStarted = performance.now();
  const ingest = services.start('ingest/src/main.ts', env);
  const code = await new Promise<number | null>((resolve) => ingest.once('exit', resolve));
  if (code !== 0) throw new Error(`ingest exited with ${code}`);
  const ingestMs = performance.now() - ingestStarted;

  // Everything ingested is projected before measuring (query-api's read-your-writes header).
  const store = await createPostgresEventStore({ connectionString: DATABASE_URL, schema: `${base}_es`, poolSize: 1 });
  const last = await store.lastAppendedPosition();
  await store.close();
  for (let i = 0; ; i++) {
    const answer = await fetch(`${query}/titles?limit=1`, { headers: { 'x-min-position': last } }).catch(() => null);
    if (answer?.ok) break;
    if (i > 600) throw new Error('query-api did not catch up with the ingested events');
    await sleep(200);
  }
  const projectedMs = performance.now() - started;

  const buildStarted = performance.now();
  const built = ensureWebBuild((line) => console.error(line));
  const buildMs = built ? performance.now() - buildStarted : 0;
  const web = await startWebServer({
    COMMAND_API_URL: command,
    QUERY_API_URL: query,
    PUBLIC_LIVE_URL: `ws://127.0.0.1:${ports.query}/live`,
    LOG_LEVEL: 'warn',
  });
  stopWeb = web.stop;
  return { web: web.url, query, setup: { ingestMs: Math.round(ingestMs), readyMs: Math.round(projectedMs), buildMs: Math.round(buildMs) } };
}

// ---- measurements ----

type LcpRun = { lcpMs: number; element: string; ttfbMs: number };

/** One cold load in a fresh context: the last LCP entry once the page has loaded. */
async function lcpOnce(browser: Browser, url: string): Promise<LcpRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    // Script text, run before the page's own scripts (through the DevTools protocol, so the
    // app's CSP does not apply to it). Plain text: this file is type-checked as Node code.
    await page.addInitScript(`
      window.__lcp = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const element = entry.element;
          window.__lcp.push({ startTime: entry.startTime, element: element ? element.tagName.toLowerCase() + (element.classList[0] ? '.' + element.classList[0] : '') : '?' });
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    `);
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`${url}: ${response?.status()}`);
    // LCP entries stop once the page is idle; give late paints (web fonts, images) a moment.
    await page.waitForLoadState('networkidle');
    await sleep(250);
    return (await page.evaluate(`(() => {
      const last = window.__lcp.at(-1);
      const navigation = performance.getEntriesByType('navigation')[0];
      return { lcpMs: last ? Math.round(last.startTime) : NaN, element: last ? last.element : 'none', ttfbMs: Math.round(navigation ? navigation.responseStart : NaN) };
    })()`)) as LcpRun;
  } finally {
    await context.close();
  }
}

async function lcp(browser: Browser, url: string) {
  await lcpOnce(browser, url); // warm-up: the server's first render of a route
  const runs: LcpRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await lcpOnce(browser, url));
  return {
    url,
    runs,
    medianMs: median(runs.map((r) => r.lcpMs)),
    medianTtfbMs: median(runs.map((r) => r.ttfbMs)),
    element: runs.at(-1)!.element,
  };
}

type Script = { url: string; rawBytes: number; gzipBytes: number; transferredBytes: number; encoding: string };

/** Every script a cold load of `url` fetches, until the network is idle. */
async function firstLoadJavaScript(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const pending: Promise<Script | null>[] = [];
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      const isScript =
        response.request().resourceType() === 'script' || type.includes('javascript') || new URL(response.url()).pathname.endsWith('.js');
      if (!isScript || !response.ok()) return;
      pending.push(
        (async () => {
          const body = await response.body();
          const sizes = await response.request().sizes();
          return {
            url: new URL(response.url()).pathname,
            rawBytes: body.length,
            gzipBytes: gzipSync(body, { level: 9 }).length,
            transferredBytes: sizes.responseBodySize,
            encoding: response.headers()['content-encoding'] ?? 'identity',
          };
        })().catch(() => null),
      );
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    const scripts = (await Promise.all(pending)).filter((s): s is Script => s !== null);
    const kb = (bytes: number) => round(bytes / 1024);
    return {
      url,
      files: scripts.length,
      rawKb: kb(scripts.reduce((sum, s) => sum + s.rawBytes, 0)),
      gzipKb: kb(scripts.reduce((sum, s) => sum + s.gzipBytes, 0)),
      transferredKb: kb(scripts.reduce((sum, s) => sum + s.transferredBytes, 0)),
      encodings: [...new Set(scripts.map((s) => s.encoding))],
      scripts,
    };
  } finally {
    await context.close();
  }
}

type LoadRun = Pick<LoadResult, 'requestsPerSecond' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'maxMs' | 'non2xx' | 'errors'>;

/**
 * Title pages in turn: at `rate`, paced (open loop, each page timed from when it was due, see
 * ../load.ts); without one, flat out on CONNECTIONS connections (autocannon, no rate, so its
 * percentiles are the requests' own).
 */
async function load(webUrl: string, paths: string[], seconds: number, rate?: number): Promise<LoadRun> {
  const headers = { accept: 'text/html' };
  if (rate) {
    const paced = await runLoad({
      origin: webUrl,
      rate,
      seconds,
      connections: CONNECTIONS,
      shape: 'paced',
      headers,
      next: (i) => ({ path: paths[i % paths.length]! }),
    });
    return { ...paced, requestsPerSecond: round(paced.requestsPerSecond) };
  }
  let i = 0;
  const result = await autocannon({
    url: webUrl,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }],
  });
  return {
    requestsPerSecond: round(result.requests.average),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

// ---- main ----

let browser: Browser | undefined;
try {
  let webUrl = process.env.WEB_URL?.replace(/\/$/, '');
  let queryUrl = process.env.QUERY_API_URL?.replace(/\/$/, '') ?? 'http://127.0.0.1:4002';
  let setup: Record<string, number> | null = null;
  if (!webUrl) {
    const stack = await startStack();
    webUrl = stack.web;
    queryUrl = stack.query;
    setup = stack.setup;
  }

  const catalog = (await (await fetch(`${queryUrl}/titles?limit=100`)).json()) as { items: { id: string }[] };
  const paths = catalog.items.map((item) => `/titles/${item.id}`);
  if (paths.length === 0) throw new Error(`no titles at ${queryUrl}/titles`);
  const titleUrl = `${webUrl}/titles/${TITLE}`;
  const probe = await fetch(titleUrl);
  if (!probe.ok) throw new Error(`${titleUrl}: ${probe.status}`);

  browser = await launchChromium();
  const home = await lcp(browser, `${webUrl}/`);
  const title = await lcp(browser, titleUrl);
  const javascript = await firstLoadJavaScript(browser, `${webUrl}/`);
  await browser.close();
  browser = undefined;

  await load(webUrl, paths, 2); // warm-up
  const atRate: LoadRun[] = [];
  const flatOut: LoadRun[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    atRate.push(await load(webUrl, paths, SECONDS, RATE));
    flatOut.push(await load(webUrl, paths, SECONDS));
  }
  const med = (runs: LoadRun[], pick: (run: LoadRun) => number) => median(runs.map(pick));
  const summary = {
    benchmark: 'web',
    runs: RUNS,
    web: webUrl,
    setup: setup && { ...setup, demoCommunity: !args['no-community'] },
    lcp: { home, title, target: { ms: TARGET.lcpMs } },
    javascript: { ...javascript, target: { kbGzip: TARGET.jsKbGzip } },
    titlePages: {
      titles: paths.length,
      connections: CONNECTIONS,
      seconds: SECONDS,
      atRate: {
        rate: RATE,
        runs: atRate,
        median: {
          requestsPerSecond: med(atRate, (r) => r.requestsPerSecond),
          p50Ms: med(atRate, (r) => r.p50Ms),
          p99Ms: med(atRate, (r) => r.p99Ms),
        },
      },
      flatOut: {
        runs: flatOut,
        median: {
          requestsPerSecond: med(flatOut, (r) => r.requestsPerSecond),
          p50Ms: med(flatOut, (r) => r.p50Ms),
          p99Ms: med(flatOut, (r) => r.p99Ms),
        },
      },
      non2xx: [...atRate, ...flatOut].reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      target: { pagesPerSecond: TARGET.pagesPerSecond, p99Ms: TARGET.p99Ms },
    },
  };
  console.log(JSON.stringify(summary, null, 2));

  const lcpOk = home.medianMs <= TARGET.lcpMs && title.medianMs <= TARGET.lcpMs;
  const jsOk = javascript.gzipKb <= TARGET.jsKbGzip;
  const r = summary.titlePages.atRate.median;
  const f = summary.titlePages.flatOut.median;
  // Flat out it must serve >= 200 pages/s within the p99; paced at the target rate the p99 must hold too.
  const pagesOk =
    f.requestsPerSecond >= TARGET.pagesPerSecond && f.p99Ms <= TARGET.p99Ms && r.p99Ms <= TARGET.p99Ms && summary.titlePages.non2xx === 0;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `web: LCP / ${home.medianMs} ms, title ${title.medianMs} ms (target ≤ ${TARGET.lcpMs}: ${verdict(lcpOk)}); ` +
      `JS on first load of / ${javascript.gzipKb} KB gzip in ${javascript.files} files (target ≤ ${TARGET.jsKbGzip}: ${verdict(jsOk)}); ` +
      `title pages at ${RATE}/s: ${r.requestsPerSecond}/s p50 ${r.p50Ms} p99 ${r.p99Ms} ms, flat out (${CONNECTIONS} connections) ${f.requestsPerSecond}/s p99 ${f.p99Ms} ms ` +
      `(target ≥ ${TARGET.pagesPerSecond}/s with p99 ≤ ${TARGET.p99Ms}: ${verdict(pagesOk)}) — medians of ${RUNS} loads, ${atRate.length} × ${SECONDS} s`,
  );
} finally {
  await browser?.close().catch(() => {});
  await stopWeb();
  await services.stop();
  if (schemasMade)
    await dropSchemas(DATABASE_URL, base).catch((error: unknown) => console.error('bench:web: dropping the schemas failed', error));
}
