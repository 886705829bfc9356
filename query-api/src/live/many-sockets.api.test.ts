import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, TEST_AUTH, startStack, type Stack } from '../testing/stack.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const SOCKETS = 1000;
/** The bound this test holds the server to (measured ≈ 4 KiB RSS and ≈ 21 KiB heap per socket, garbage included; see README). */
const MAX_RSS_PER_SOCKET = 64 * 1024;
const MAX_HEAP_PER_SOCKET = 64 * 1024;

async function memory(baseUrl: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_size_used_bytes') };
}

describe(`${SOCKETS} concurrent sockets on one query-api process`, () => {
  let stack: Stack;
  let child: ChildProcess;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startStack('qa_many');
    await stack.seedTitle(603, 'The Matrix');
    const port = 20000 + Math.floor(Math.random() * 20000);
    baseUrl = `http://127.0.0.1:${port}`;
    // Its own process, so its memory is measured without the test's 1,000 client sockets.
    child = spawn(TSX, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: stack.harness.url,
        READ_SCHEMA: stack.harness.settings.readSchema,
        LIVE_SUBJECT_PREFIX: stack.base,
        JWT_SECRET: TEST_AUTH.secret,
        QUERY_API_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '1000000',
        LIVE_CONNECTS_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    for (let i = 0; i < 150; i++) {
      if (
        await fetch(`${baseUrl}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('query-api child did not become ready');
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
    await stack?.close();
  });

  it('all receive an update, and memory grows by a bounded amount per socket', { timeout: 60_000 }, async () => {
    // Warm up (JIT, pools, the websocket server) so the baseline is not the cold process.
    const warm = await LiveClient.open(`${baseUrl.replace('http', 'ws')}/live`);
    warm.send({ type: 'subscribe', channels: ['feed'] });
    await warm.until((m) => m.find((x) => x.type === 'subscribed'));
    warm.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await memory(baseUrl);

    const clients: LiveClient[] = [];
    for (let batch = 0; batch < SOCKETS / 100; batch++) {
      const opened = await Promise.all(Array.from({ length: 100 }, () => LiveClient.open(`${baseUrl.replace('http', 'ws')}/live`)));
      for (const client of opened) client.send({ type: 'subscribe', channels: ['feed', 'title:movie:603'] });
      await Promise.all(opened.map((client) => client.until((m) => m.find((x) => x.type === 'subscribed'), 20_000)));
      clients.push(...opened);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await memory(baseUrl);
    const perSocket = { rss: (after.rss - before.rss) / SOCKETS, heap: (after.heap - before.heap) / SOCKETS };
    console.log(`live sockets: ${SOCKETS}, RSS +${Math.round(perSocket.rss)} B/socket, heap +${Math.round(perSocket.heap)} B/socket`);
    expect(perSocket.rss).toBeLessThan(MAX_RSS_PER_SOCKET);
    expect(perSocket.heap).toBeLessThan(MAX_HEAP_PER_SOCKET);

    const user = await stack.register('Many');
    const rated = await stack.command('PUT', '/ratings/movie:603', { token: user.accessToken, body: { score: 6 } });
    await Promise.all(
      clients.map((client) =>
        client.until((m) => m.filter((x) => x.type === 'update' && x.position === rated.body.position).length === 2, 20_000),
      ),
    );
    for (const client of clients) client.close();
  });
});
