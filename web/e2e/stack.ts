/*
 * The real stack for one browser-test file: PostgreSQL schemas of its own, the projector,
 * command-api and query-api in this process on ephemeral ports (query-api's test stack), the demo
 * catalog imported through ingest's own sync, the built web app as a child process pointed at
 * them, and one headless Chromium. `close()` stops all of it and drops the schemas.
 *
 *   const web = await startWebStack();        // in beforeAll (takes a few seconds)
 *   const { page } = await web.newPage();     // a fresh context per test
 *   await page.goto(web.url);
 *   await web.close();                        // in afterAll
 *
 * The app must be built (web/build): the web-e2e project's global setup does that once per run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { freePort } from '@reeltime/eventstore/testing';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { ingestSettings } from '@reeltime/ingest/src/settings.ts';
import { syncDemo } from '@reeltime/ingest/src/sources.ts';
import { openProgressStore } from '@reeltime/ingest/src/sync/progress-store.ts';
import { startStack, type Stack } from '@reeltime/query-api/src/testing/stack.ts';
import { launchChromium } from './browser.ts';
import { BUILD_ENTRY, WEB_DIRECTORY } from '../scripts/build.ts';

export type Person = { userId: string; email: string; password: string; displayName: string; accessToken: string; refreshToken: string };

export type WebStack = {
  /** The web app, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  commandUrl: string;
  queryUrl: string;
  liveUrl: string;
  browser: Browser;
  backend: Stack;
  /** How many titles the catalog holds. */
  titles: number;
  /** A fresh browser context (cookies, storage) and a page in it; signed in as `person` if given. */
  newPage(options?: BrowserContextOptions & { person?: Person }): Promise<{ context: BrowserContext; page: Page }>;
  /** A new account, registered through command-api. */
  register(displayName?: string): Promise<Person>;
  /** Puts the person's tokens in the context's session cookies, as signing in does. */
  signIn(context: BrowserContext, person: Person): Promise<void>;
  /** What the web server printed so far (for a failing test's message). */
  serverOutput(): string;
  close(): Promise<void>;
};

export type WebStackOptions = {
  /** Schema prefix, unique per file by default. */
  prefix?: string;
  /** `demo`: the 350-title demo catalog through ingest (default); `none`: an empty catalog. */
  catalog?: 'demo' | 'none';
  /** Environment for the web server on top of the stack's URLs. */
  env?: Record<string, string>;
  /** Start Chromium too (default true). */
  browser?: boolean;
};

export { freePort };

/** Imports the demo catalog (ingest/demo) through ingest's real TMDb sync into the stack's store. */
async function importDemoCatalog(backend: Stack): Promise<number> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const progress = await openProgressStore({ connectionString: backend.harness.url, schema: `${backend.base}_ingest`, poolSize: 4 });
  try {
    const result = await syncDemo(ingestSettings({}), { store: backend.harness.store, progress, log });
    if (result.status !== 'completed' || result.summary.failed > 0)
      throw new Error(`demo import: ${result.status} ${JSON.stringify(result.summary)}`);
    return result.summary.imported + result.summary.updated + result.summary.unchanged;
  } finally {
    await progress.close();
  }
}

/** Waits until query-api has everything appended so far (its read-your-writes header). */
async function caughtUp(backend: Stack, queryUrl: string): Promise<void> {
  const position = await backend.harness.lastAppended();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await fetch(`${queryUrl}/titles?limit=1`, { headers: { 'x-min-position': position } }).catch(() => null);
    if (answer?.ok) return;
    if (Date.now() > deadline) throw new Error(`query-api did not catch up with ${position}: ${answer?.status}`);
    await sleep(200);
  }
}

type WebServer = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** `node web/build/index.js` on a free port, talking to these APIs. */
export async function startWebServer(env: Record<string, string>): Promise<WebServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BUILD_ENTRY], {
    cwd: WEB_DIRECTORY,
    // ORIGIN: adapter-node takes a request's origin to be https://<host> unless told, and
    // SvelteKit's CSRF check then refuses every form post from the http:// page.
    // BODY_SIZE_LIMIT: what scripts/serve.js sets (adapter-node's own 512K is less than an import).
    env: {
      ...process.env,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ORIGIN: url,
      BODY_SIZE_LIMIT: '33M',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = once(child, 'exit');
  // A test run that dies without closing must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited (${child.exitCode}) before answering:\n${output}`);
    const answer = await fetch(`${url}/robots.txt`).catch(() => null);
    if (answer) {
      await answer.body?.cancel();
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the web server did not answer on ${url} within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  return { url, child, output: () => output, stop };
}

export async function startWebStack(options: WebStackOptions = {}): Promise<WebStack> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse())
      await closer().catch((error: unknown) => console.error('web stack: closing failed', error));
  };
  try {
    const backend = await startStack(options.prefix ?? 'web_e2e');
    closers.push(() => backend.close());
    const query = await backend.startQueryApi();
    const titles = options.catalog === 'none' ? 0 : await importDemoCatalog(backend);
    await caughtUp(backend, query.baseUrl);

    const server = await startWebServer({
      COMMAND_API_URL: backend.commandUrl,
      QUERY_API_URL: query.baseUrl,
      PUBLIC_LIVE_URL: query.wsUrl,
      ...options.env,
    });
    closers.push(server.stop);

    let browser: Browser | undefined;
    if (options.browser !== false) {
      browser = await launchChromium();
      closers.push(() => browser!.close());
    }

    let registered = 0;
    const register = async (displayName = 'Ann'): Promise<Person> => {
      const email = `web${++registered}-${Math.random().toString(36).slice(2, 10)}@example.com`;
      const password = 'a long password';
      const answer = await fetch(`${backend.commandUrl}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, displayName }),
      });
      const body = (await answer.json()) as Record<string, string>;
      if (answer.status !== 201) throw new Error(`register: ${answer.status} ${JSON.stringify(body)}`);
      return { userId: body.userId!, email, password, displayName, accessToken: body.accessToken!, refreshToken: body.refreshToken! };
    };
    const signIn = async (context: BrowserContext, person: Person) => {
      await context.addCookies([
        { name: 'rt_access', value: person.accessToken, url: server.url, httpOnly: true, sameSite: 'Lax' },
        { name: 'rt_refresh', value: person.refreshToken, url: server.url, httpOnly: true, sameSite: 'Lax' },
      ]);
    };

    const stack: WebStack = {
      url: server.url,
      commandUrl: backend.commandUrl,
      queryUrl: query.baseUrl,
      liveUrl: query.wsUrl,
      get browser(): Browser {
        if (!browser) throw new Error('this web stack was started without a browser');
        return browser;
      },
      backend,
      titles,
      async newPage({ person, ...contextOptions } = {}) {
        const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
        closers.push(() => context.close());
        if (person) await signIn(context, person);
        const page = await context.newPage();
        return { context, page };
      },
      register,
      signIn,
      serverOutput: server.output,
      close,
    };
    return stack;
  } catch (error) {
    await close();
    throw error;
  }
}
