import { afterEach, describe, expect, it } from 'vitest';
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
    await new Promise((resolve) => setTimeout(resolve, 50));
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
    await setUp({ concurrency: 3, timeoutMs: 100, retries: 0 });
    for (let id = 1; id <= 6; id++) server.failNext(`/3/movie/${id}`, { kind: 'stall' });
    const calls = Array.from({ length: 6 }, (_, n) => client.movieDetails(n + 1).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 60));
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
    setTimeout(() => controller.abort(new Error('run stopped')), 50);
    await expect(call).rejects.toThrow('run stopped');
    expect(server.hits('/3/movie/2')).toBe(1);
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
