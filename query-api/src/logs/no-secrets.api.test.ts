import { createLogger } from '@reeltime/platform';
import { createLogger as createIngestLogger } from '@reeltime/ingest/src/log.ts';
import { ingestSettings } from '@reeltime/ingest/src/settings.ts';
import { syncTmdb } from '@reeltime/ingest/src/sources.ts';
import { testEnvironment, type Environment } from '@reeltime/ingest/src/sync/environment.testing.ts';
import { createTmdbClient } from '@reeltime/ingest/src/tmdb/client.ts';
import { startFakeTmdb, type FakeTmdb } from '@reeltime/ingest/src/tmdb/fake-server.testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, startStack, type Answer, type QueryApiInstance, type Stack } from '../testing/stack.ts';

/*
 * Issue 14: no credential reaches a log line or an error answer. Every service of the stack
 * (command-api, query-api, the projector) and ingest log at `trace` into one capture through the
 * real logger setup, while the test signs up, logs in, refreshes, opens `/live?token=` as a
 * WebSocket and as a plain request, and makes TMDb calls fail. Then no line holds a secret.
 */

const lines: string[] = [];
const capture = { write: (line: string) => void lines.push(line) };
const TRACE = 'trace';

const PASSWORD = 'correct horse battery staple 42';
const WRONG_PASSWORD = 'wrong horse battery staple 43';
const TMDB_API_KEY = 'tmdb-api-key-0f1e2d3c4b5a69788796a5b4';
const WRONG_TMDB_API_KEY = 'tmdb-api-key-ffffeeeeddddccccbbbbaaaa';
const TMDB_TOKEN = 'tmdb-read-access-token-eyJhbGciOiJIUzI1NiJ9.c2VjcmV0';

let stack: Stack;
let api: QueryApiInstance;
let tmdb: FakeTmdb;
let ingestEnv: Environment;
/** Every answer a client got: error answers must not echo a secret either. */
const answers: Answer[] = [];
const secrets = new Set<string>([PASSWORD, WRONG_PASSWORD, TMDB_API_KEY, WRONG_TMDB_API_KEY, TMDB_TOKEN]);

beforeAll(async () => {
  stack = await startStack('qa_secrets', { logger: createLogger('stack', TRACE, capture) });
  api = await stack.startQueryApi();
  await stack.seedTitle(603, 'The Matrix');
  tmdb = await startFakeTmdb({ movies: 6, tv: 1, credential: { apiKey: TMDB_API_KEY } });
  ingestEnv = await testEnvironment();
});
afterAll(async () => {
  await stack?.close();
  await tmdb?.close();
  await ingestEnv?.dispose();
});

async function command(method: string, path: string, options: Parameters<Stack['command']>[2] = {}): Promise<Answer> {
  const answer = await stack.command(method, path, options);
  answers.push(answer);
  return answer;
}

describe('no secret in any log line or error answer', () => {
  it('through sign-up, login, refresh, /live?token= (WebSocket and plain) and failing TMDb calls', async () => {
    // Accounts: the password, every access and refresh token issued.
    const email = `secret-${Date.now()}@example.com`;
    const registered = await command('POST', '/auth/register', { body: { email, password: PASSWORD, displayName: 'Keeper' } });
    expect(registered.status).toBe(201);
    expect((await command('POST', '/auth/login', { body: { email, password: WRONG_PASSWORD } })).status).toBe(401);
    const login = await command('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const refreshed = await command('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    // A rotated refresh token used again: refused, and the family revoked.
    expect((await command('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status).toBe(401);
    for (const answer of [registered, login, refreshed]) {
      secrets.add(answer.body.accessToken);
      secrets.add(answer.body.refreshToken);
    }
    const token: string = registered.body.accessToken;

    // Tokens in headers (authorization, cookie) and in query strings, on both APIs.
    const cookie = `session=${registered.body.refreshToken}`;
    expect((await command('PUT', '/ratings/movie:603', { token, body: { score: 8 }, headers: { cookie } })).status).toBe(200);
    expect(
      (await command('PUT', '/ratings/movie:603', { headers: { authorization: `Bearer ${token}x` }, body: { score: 8 } })).status,
    ).toBe(401);
    expect((await command('GET', `/nowhere?token=${token}`)).status).toBe(404);
    answers.push(await api.get('/me/lists', { token, headers: { cookie, 'x-min-position': registered.body.position } }));
    answers.push(await api.get(`/titles?q=matrix&access_token=${token}`));

    // /live?token= as a WebSocket, and as a plain request (an upgrade a proxy stripped).
    const socket = await LiveClient.open(`${api.wsUrl}?token=${token}`);
    await socket.next('authenticated').catch(() => undefined);
    socket.send({ type: 'subscribe', channels: ['me'] });
    await socket.until((messages) => messages.find((m) => m.type === 'subscribed'));
    socket.send({ type: 'auth', token: `${token}.forged` });
    await socket.until((messages) => messages.find((m) => m.type === 'error'));
    socket.close();
    await socket.closed;
    const plain = await fetch(`${api.baseUrl}/live?token=${token}`);
    answers.push({ status: plain.status, headers: plain.headers, body: await plain.text() });
    expect(plain.status).toBeGreaterThanOrEqual(400);

    // TMDb: an API key refused, a title failing then recovering, one missing, TMDb unreachable.
    const ingestLog = createIngestLogger('trace', capture);
    const settings = (apiKey: string) => ingestSettings({ TMDB_API_KEY: apiKey, TMDB_BASE_URL: tmdb.url, TMDB_RATE_LIMIT: '0' });
    const deps = { store: ingestEnv.store, progress: ingestEnv.progress, log: ingestLog };
    const refused = await syncTmdb(settings(WRONG_TMDB_API_KEY), deps, 1).catch((error: unknown) => error);
    ingestLog.error({ err: refused }, 'sync run failed; retrying at the next tick');
    tmdb.failNext('/3/movie/2', { kind: 'status', status: 500 });
    tmdb.failAlways('/3/movie/3', { kind: 'status', status: 404 });
    const synced = await syncTmdb(settings(TMDB_API_KEY), deps, 1);
    expect(synced.summary.failed).toBe(1);
    for (const credential of [
      { kind: 'apiKey' as const, key: TMDB_API_KEY },
      { kind: 'bearer' as const, token: TMDB_TOKEN },
    ]) {
      const unreachable = createTmdbClient({
        baseUrl: 'http://127.0.0.1:9/3',
        credential,
        retries: 1,
        backoff: { baseMs: 5, maxMs: 10 },
        log: ingestLog,
      });
      const error = await unreachable.movieDetails(1).catch((e: unknown) => e);
      ingestLog.error({ err: error, credential }, 'ingest failed');
      expect(String((error as Error).message)).not.toContain(TMDB_API_KEY);
      unreachable.close();
    }

    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // No line, nor any answer, holds a secret...
    // Five fixed, three refresh tokens, and one to three access tokens (signed within one second, they can be equal).
    expect(secrets.size).toBeGreaterThanOrEqual(9);
    for (const secret of secrets) {
      const leaks = lines.filter((line) => line.includes(secret));
      expect(leaks, `a log line holds ${secret.slice(0, 12)}…`).toEqual([]);
      const echoed = answers.filter((answer) => answer.status >= 400 && JSON.stringify(answer.body ?? '').includes(secret));
      expect(echoed, `an error answer holds ${secret.slice(0, 12)}…`).toEqual([]);
    }
    // ...and the capture did see the requests that carried them (so the check above can fail).
    expect(logged.length).toBeGreaterThan(20);
    const urls = logged.map((line) => line.url).filter((url): url is string => typeof url === 'string');
    expect(urls).toEqual(
      expect.arrayContaining(['/live?token=[redacted]', '/nowhere?token=[redacted]', '/titles?q=matrix&access_token=[redacted]']),
    );
    expect(logged.some((line) => line.msg === 'title sync failed')).toBe(true);
    expect(logged.some((line) => line.msg === 'TMDb request failed; retrying')).toBe(true);
  });
});
