import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTmdbClient, type TmdbClient, type TmdbClientOptions } from './client.ts';
import { CircuitOpenError, MalformedResponseError, TmdbHttpError, TmdbUnavailableError } from './errors.ts';
import { startFakeTmdb, type FakeTmdb } from './fake-server.testing.ts';

let server: FakeTmdb;
let client: TmdbClient;

async function setUp(options: Partial<TmdbClientOptions> = {}, credential = { token: 'secret-token' }) {
  server = await startFakeTmdb({ movies: 60, tv: 2, credential });
  client = createTmdbClient({
    baseUrl: server.url,
    credential: { kind: 'bearer', token: 'secret-token' },
    backoff: { baseMs: 5, maxMs: 20 },
    timeoutMs: 1_000,
    ...options,
  });
}

afterEach(async () => {
  client?.close();
  await server?.close();
});

describe('TMDb client', () => {
  it('sends the read access token as Bearer and reads validated details with their appends', async () => {
    await setUp();
    const movie = await client.movieDetails(7);
    expect(movie).toMatchObject({ id: 7, title: 'Movie 7', credits: { crew: [{ job: 'Director' }, { job: 'Screenplay' }] } });
    expect(server.requests[0]?.query.get('append_to_response')).toBe('credits,keywords,external_ids,watch/providers,release_dates');
    const series = await client.tvDetails(1);
    expect(series.keywords.results).toHaveLength(6);
  });

  it('sends an API key as the api_key query parameter', async () => {
    server = await startFakeTmdb({ movies: 1, credential: { apiKey: 'k3y' } });
    client = createTmdbClient({ baseUrl: server.url, credential: { kind: 'apiKey', key: 'k3y' } });
    await expect(client.movieDetails(1)).resolves.toMatchObject({ id: 1 });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('does not retry a refused credential', async () => {
    await setUp({}, { token: 'another-token' });
    await expect(client.movieDetails(1)).rejects.toMatchObject({ name: 'TmdbHttpError', status: 401 });
    expect(server.hits('/3/movie/1')).toBe(1);
  });

  it('retries 5xx and network-level failures with backoff', async () => {
    await setUp();
    server.failNext('/3/movie/3', { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    await expect(client.movieDetails(3)).resolves.toMatchObject({ id: 3 });
    expect(server.hits('/3/movie/3')).toBe(3);
  });

  it('gives up after the configured retries', async () => {
    await setUp({ retries: 2 });
    server.failAlways('/3/movie/3', { kind: 'status', status: 502 });
    const error = await client.movieDetails(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect(server.hits('/3/movie/3')).toBe(3);
  });

  it('times out a stalled response and tries again', async () => {
    await setUp({ timeoutMs: 150 });
    server.failNext('/3/movie/4', { kind: 'stall' });
    const started = performance.now();
    await expect(client.movieDetails(4)).resolves.toMatchObject({ id: 4 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(server.hits('/3/movie/4')).toBe(2);
  });

  it('waits as long as Retry-After says after a 429, for every request', async () => {
    await setUp();
    server.failNext('/3/movie/5', { kind: 'status', status: 429, retryAfter: '1' });
    const first = client.movieDetails(5);
    // Once the 429 is answered (200 ms leaves a busy machine time to read it; the pause is 1 s).
    await vi.waitUntil(() => server.hits('/3/movie/5') === 1, { timeout: 4_000, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = client.movieDetails(6); // starts while the pause is on
    await Promise.all([first, other]);
    const limited = server.requests.find((r) => r.path === '/3/movie/5')!;
    const after = server.requests.filter((r) => r.at > limited.at);
    expect(after.map((r) => r.path).sort()).toEqual(['/3/movie/5', '/3/movie/6']);
    for (const request of after) expect(request.at - limited.at).toBeGreaterThanOrEqual(990);
  });

  it.each([
    ['malformed JSON', { kind: 'malformed-json' } as const],
    ['a payload of the wrong shape', { kind: 'wrong-shape' } as const],
  ])('reports %s without retrying', async (_what, fault) => {
    await setUp();
    server.failNext('/3/movie/8', fault);
    const error = await client.movieDetails(8).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(server.hits('/3/movie/8')).toBe(1);
  });

  it('reports a missing title as a 404 without retrying', async () => {
    await setUp();
    const error = await client.movieDetails(999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbHttpError);
    expect(error).toMatchObject({ status: 404 });
    expect(server.hits('/3/movie/999')).toBe(1);
  });

  it('never starts more requests per second than its rate, over any one-second window', async () => {
    const rate = 20;
    await setUp({ requestsPerSecond: rate, concurrency: 16 });
    // Open the connections first: a burst that also connects reaches the server late under load
    // and would seem to bunch up with the next second's requests.
    await Promise.all(Array.from({ length: 16 }, () => client.movieDetails(1)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    server.requests.length = 0;
    await Promise.all(Array.from({ length: 50 }, (_, n) => client.movieDetails(1 + n)));
    const times = server.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(times).toHaveLength(50);
    // Arrival times still carry some event-loop jitter: a window 10% short absorbs it, while a
    // limiter letting a burst through would show 40 or 50 at once.
    const windowMs = 900;
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= windowMs) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(rate);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * windowMs);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    await setUp({ concurrency: 3, timeoutMs: 1_000, retries: 0 });
    for (let id = 1; id <= 6; id++) server.failNext(`/3/movie/${id}`, { kind: 'stall' });
    const calls = Array.from({ length: 6 }, (_, n) => client.movieDetails(n + 1).catch(() => undefined));
    // Wait for the first three to arrive (a busy machine takes a while), then give a fourth time to show up.
    await vi.waitUntil(() => server.requests.length >= 3, { timeout: 900, interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(3);
    await Promise.all(calls);
  });

  it('opens the circuit after repeated failures and stops calling TMDb', async () => {
    await setUp({ retries: 0, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } });
    server.failAlways('/3/movie/9', { kind: 'status', status: 500 });
    const errors = [];
    for (let n = 0; n < 6; n++) errors.push(await client.movieDetails(9).catch((e: unknown) => e));
    expect(errors.slice(0, 3).every((e) => e instanceof TmdbUnavailableError)).toBe(true);
    expect(errors.at(-1)).toBeInstanceOf(CircuitOpenError);
    expect(client.breakerOpen).toBe(true);
    expect(server.hits('/3/movie/9')).toBeLessThan(6);
    await expect(client.movieDetails(1)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('stops at once when the caller aborts', async () => {
    await setUp({ timeoutMs: 5_000 });
    server.failNext('/3/movie/2', { kind: 'stall' });
    const controller = new AbortController();
    const call = client.movieDetails(2, controller.signal);
    // Abort once the request is at the server (a fixed delay is too short on a busy machine).
    await vi.waitUntil(() => server.hits('/3/movie/2') === 1, { timeout: 4_000, interval: 5 });
    controller.abort(new Error('run stopped'));
    await expect(call).rejects.toThrow('run stopped');
    expect(server.hits('/3/movie/2')).toBe(1);
  });

  it('many requests on one signal, retried and paused, never pile abort listeners on it', async () => {
    await setUp({ requestsPerSecond: 0, concurrency: 8, backoff: { baseMs: 20, maxMs: 40 } });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const run = new AbortController();
    // One run's signal, as a sync passes it: its own stop composed with the caller's.
    const signal = AbortSignal.any([run.signal, new AbortController().signal]);
    let most = 0;
    const sample = setInterval(
      () => (most = Math.max(most, getEventListeners(signal, 'abort').length, getEventListeners(run.signal, 'abort').length)),
      1,
    );
    try {
      // 60 at once, each failing twice (backoff waits), and a 429 that pauses every request.
      for (let id = 1; id <= 60; id++) server.failNext(`/3/movie/${id}`, { kind: 'status', status: 503 }, { kind: 'status', status: 502 });
      server.failNext('/3/movie/30', { kind: 'status', status: 429, retryAfter: '1' });
      const movies = await Promise.all(Array.from({ length: 60 }, (_, i) => client.movieDetails(i + 1, signal)));
      expect(movies.map((m) => m.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // Then request after request, as a long sync does.
      for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 60 }, (_, i) => client.movieDetails(i + 1, signal)));
    } finally {
      clearInterval(sample);
      process.off('warning', onWarning);
    }
    expect(server.hits('/3/movie/1')).toBe(8);
    expect(most).toBeLessThanOrEqual(1);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    // Let a warning emitted on the last tick arrive before judging.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('a run stopped while its requests back off ends every one of them at once', async () => {
    await setUp({ requestsPerSecond: 0, backoff: { baseMs: 10_000, maxMs: 10_000 } });
    for (let id = 1; id <= 20; id++) server.failAlways(`/3/movie/${id}`, { kind: 'status', status: 503 });
    const run = new AbortController();
    const calls = Array.from({ length: 20 }, (_, i) => client.movieDetails(i + 1, run.signal).catch((error: unknown) => error));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    run.abort(new Error('run stopped'));
    const outcomes = await Promise.all(calls);
    expect(Date.now() - started).toBeLessThan(500);
    expect(outcomes.map((e) => (e as Error).message)).toEqual(Array(20).fill('run stopped'));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('reads list pages and change feeds', async () => {
    await setUp();
    const popular = await client.popular('movie', 2);
    expect(popular).toMatchObject({ page: 2, total_pages: 3 });
    expect(popular.results).toHaveLength(20);
    await expect(client.trending('tv', 'week', 1)).resolves.toMatchObject({ total_pages: 1 });
    server.setChanges('movie', [3, 4]);
    await expect(client.changes('movie', { startDate: '2025-01-01', endDate: '2025-01-02', page: 1 })).resolves.toMatchObject({
      results: [{ id: 3 }, { id: 4 }],
    });
  });
});
