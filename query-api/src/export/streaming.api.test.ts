import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@reeltime/projector/src/testing/harness.ts';
import { startStack, type QueryApiInstance, type Session, type Stack } from '../testing/stack.ts';

// A large account: 60,000 ratings with 400-character reviews, about 40 MB of JSON, far more than
// the stream and socket buffers between the server and a client that stops reading.
const RATINGS = 60_000;

describe('GET /me/export streams a large account', () => {
  let stack: Stack;
  let api: QueryApiInstance;
  let me: Session;
  let read: string;

  /** This stack's exports open in Postgres (their transaction tags itself; the query names our schema). */
  const openExports = async () => {
    const rows = await stack.harness.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'reeltime-export' AND query LIKE $1`,
      [`%${read}%`],
    );
    return rows.rows[0]!.n;
  };
  const start = (signal?: AbortSignal, on = api) =>
    fetch(`${on.baseUrl}/me/export?format=json`, { headers: { authorization: `Bearer ${me.accessToken}` }, signal });

  beforeAll(async () => {
    stack = await startStack('qa_export_big');
    // One export at a time, so the test can also see a second one turned away while the first streams.
    api = await stack.startQueryApi({ exportLimits: { concurrent: 1 } });
    read = stack.harness.settings.readSchema;
    me = await stack.register('Collector');
    await eventually(async () =>
      expect((await stack.harness.pool.query(`SELECT 1 FROM ${read}.users WHERE user_id = $1`, [me.userId])).rowCount).toBe(1),
    );
    // Rows put straight behind the read views (the projector is not what is under test here).
    await stack.harness.pool.query(
      `INSERT INTO ${read}.ratings (user_id, title_id, score, review, contains_spoilers, rated_at, updated_at, position)
       SELECT $1, 'movie:' || g, g % 10 + 1, repeat('r', 400), false, now() - g * interval '1 minute', now() - g * interval '1 minute', '0'
         FROM generate_series(1, ${RATINGS}) g`,
      [me.userId],
    );
  }, 60_000);
  afterAll(async () => stack?.close());

  it('sends the first bytes while it is still reading Postgres, holds back while the client does, then delivers everything', async () => {
    // when the client reads the first chunk and then stops reading
    const response = await start();
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    const first = await reader.read();
    chunks.push(first.value!);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // then the export is still open in Postgres, waiting for the client rather than buffering the rest
    expect(await openExports()).toBe(1);
    // and a second export meanwhile is turned away with a clear answer (one at a time here)
    const busy = await start();
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await busy.json()) as { code: string }).code).toBe('export_busy');

    // when the client reads on, it gets the whole account, in order
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
    }
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(doc.ratings).toHaveLength(RATINGS);
    expect(doc.ratings[0]).toMatchObject({ titleId: 'movie:1', score: 2, tmdbId: 1, title: null });
    expect(doc.ratings.at(-1)).toMatchObject({ titleId: `movie:${RATINGS}` });
    // and the export's connection is back in the pool
    await eventually(async () => expect(await openExports()).toBe(0), 5000);
  }, 60_000);

  /** A download over node:http (fetch's pool may keep a spare socket open after an abort). */
  const download = async (on = api) => {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(`${on.baseUrl}/me/export?format=json`, { headers: { authorization: `Bearer ${me.accessToken}` } }, resolve)
        .once('error', reject),
    );
    await new Promise((resolve) => response.once('data', resolve));
    response.pause();
    return response;
  };

  it('ends the export and frees its connection when the client goes away mid-download', async () => {
    const response = await download();
    expect(response.statusCode).toBe(200);
    expect(await openExports()).toBe(1);
    response.destroy();
    await eventually(async () => expect(await openExports()).toBe(0), 5000);
    // and the slot is free again
    const again = await start();
    expect(again.status).toBe(200);
    await again.body!.cancel();
    await eventually(async () => expect(await openExports()).toBe(0), 5000);
  }, 60_000);

  it('does not hold up a shutdown for a client that stopped reading', async () => {
    const other = await stack.startQueryApi();
    const response = await download(other);
    const ended = new Promise((resolve) => response.once('close', resolve));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await ended;
    expect(response.complete).toBe(false);
    await eventually(async () => expect(await openExports()).toBe(0), 5000);
  }, 60_000);

  it('cuts off an export that outlives its time limit (a client that stopped reading), and frees its connection', async () => {
    const limited = await stack.startQueryApi({ exportLimits: { maxMs: 1500 } });
    const response = await start(undefined, limited);
    const reader = response.body!.getReader();
    await reader.read();
    expect(await openExports()).toBe(1);
    await eventually(async () => expect(await openExports()).toBe(0), 5000);
    // the download ends early instead of looking complete
    const rest = (async () => {
      for (;;) if ((await reader.read()).done) return 'complete';
    })();
    await expect(rest).rejects.toThrow();
  }, 60_000);
});
