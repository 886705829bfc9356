import type { Cookies } from '@sveltejs/kit';
import type { TokenPair } from '@reeltime/schemas';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { ACCESS_COOKIE, REFRESH_COOKIE, REFRESH_MARGIN_SECONDS, RefreshSingleFlight, loadSession } from './session.ts';

/** An unsigned JWT-shaped token carrying these claims (the web server only reads them). */
function accessToken(claims: { sub: string; name: string; exp: number }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

function pair(name: string, expSeconds: number, refreshToken = `refresh-${name}`): TokenPair {
  return { userId: `user-${name}`, accessToken: accessToken({ sub: `user-${name}`, name, exp: expSeconds }), refreshToken, expiresIn: 900 };
}

const refused = () =>
  new ApiError(401, {
    type: '/problems/invalid-refresh-token',
    title: 'Unauthorized',
    status: 401,
    detail: 'The refresh token is not valid.',
  });
const unavailable = () =>
  new ApiError(503, {
    type: '/problems/unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The command service cannot be reached.',
  });

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A refresh the test settles by hand, counting its calls. */
function controlledRefresh() {
  const calls: string[] = [];
  let settle: { resolve: (pair: TokenPair) => void; reject: (error: unknown) => void } | null = null;
  const refresh = (token: string) => () => {
    calls.push(token);
    return new Promise<TokenPair>((resolve, reject) => (settle = { resolve, reject }));
  };
  return {
    calls,
    refresh,
    resolve: (value: TokenPair) => settle!.resolve(value),
    reject: (error: unknown) => settle!.reject(error),
  };
}

describe('RefreshSingleFlight', () => {
  it('given two concurrent refreshes of one token, when the API answers, then it was called once and both get the new pair', async () => {
    const flights = new RefreshSingleFlight();
    const api = controlledRefresh();

    const first = flights.refreshOnce('old', api.refresh('old'));
    const second = flights.refreshOnce('old', api.refresh('old'));
    api.resolve(pair('ann', 2_000_000_000));

    expect(await first).toEqual(pair('ann', 2_000_000_000));
    expect(await second).toEqual(pair('ann', 2_000_000_000));
    expect(api.calls).toEqual(['old']);
  });

  it('given a settled refresh, when the same token arrives within the memory window, then it gets the same pair without a second call', async () => {
    const time = clock();
    const flights = new RefreshSingleFlight(time.now);
    const api = controlledRefresh();
    const first = flights.refreshOnce('old', api.refresh('old'));
    api.resolve(pair('ann', 2_000_000_000));
    await first;

    time.advance(29_000);
    const late = await flights.refreshOnce('old', api.refresh('old'));

    expect(late).toEqual(pair('ann', 2_000_000_000));
    expect(api.calls).toEqual(['old']);
  });

  it('given a settled refresh, when the same token arrives after the memory window, then the API is asked again (and the old entry is forgotten)', async () => {
    const time = clock();
    const flights = new RefreshSingleFlight(time.now);
    const api = controlledRefresh();
    const first = flights.refreshOnce('old', api.refresh('old'));
    api.resolve(pair('ann', 2_000_000_000));
    await first;

    time.advance(31_000);
    const again = flights.refreshOnce('old', api.refresh('old'));
    api.reject(refused());

    expect(await again).toBeNull();
    expect(api.calls).toEqual(['old', 'old']);
    expect(flights.size).toBe(1);
  });

  it('given a refused token (401), when it is refreshed twice, then both give null and the API was asked once', async () => {
    const time = clock();
    const flights = new RefreshSingleFlight(time.now);
    const api = controlledRefresh();

    const first = flights.refreshOnce('revoked', api.refresh('revoked'));
    api.reject(refused());
    expect(await first).toBeNull();

    time.advance(5_000);
    expect(await flights.refreshOnce('revoked', api.refresh('revoked'))).toBeNull();
    expect(api.calls).toEqual(['revoked']);
  });

  it('given an unreachable API (503), when the token is refreshed again, then the failure was not remembered and the API is asked again', async () => {
    const flights = new RefreshSingleFlight();
    const api = controlledRefresh();

    const first = flights.refreshOnce('old', api.refresh('old'));
    api.reject(unavailable());
    await expect(first).rejects.toMatchObject({ status: 503 });
    expect(flights.size).toBe(0);

    const second = flights.refreshOnce('old', api.refresh('old'));
    api.resolve(pair('ann', 2_000_000_000));
    expect(await second).toEqual(pair('ann', 2_000_000_000));
    expect(api.calls).toEqual(['old', 'old']);
  });

  it('given a network failure (no status at all), when the token is refreshed again, then the API is asked again', async () => {
    const flights = new RefreshSingleFlight();
    const api = controlledRefresh();

    const first = flights.refreshOnce('old', api.refresh('old'));
    api.reject(new TypeError('fetch failed'));
    await expect(first).rejects.toThrow('fetch failed');

    const second = flights.refreshOnce('old', api.refresh('old'));
    api.resolve(pair('ann', 2_000_000_000));
    expect(await second).toEqual(pair('ann', 2_000_000_000));
    expect(api.calls).toHaveLength(2);
  });
});

type CookieWrite = { name: string; value: string; options: Record<string, unknown> };

/** The part of SvelteKit's `Cookies` the session uses, recording every write. */
class FakeCookies {
  readonly values = new Map<string, string>();
  readonly writes: CookieWrite[] = [];
  constructor(initial: Record<string, string>) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }
  get(name: string) {
    return this.values.get(name);
  }
  getAll() {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
  set(name: string, value: string, options: Record<string, unknown>) {
    this.values.set(name, value);
    this.writes.push({ name, value, options });
  }
  delete(name: string, options: Record<string, unknown>) {
    this.values.delete(name);
    this.writes.push({ name, value: '', options: { ...options, deleted: true } });
  }
  serialize(): string {
    throw new Error('not used by the session');
  }
}

function requestEvent(cookies: Record<string, string>) {
  const jar = new FakeCookies(cookies);
  const locals = { user: null, accessToken: null, requestId: 'test', clientAddress: '127.0.0.1' } as App.Locals;
  return { jar, event: { url: new URL('http://127.0.0.1:3000/titles'), cookies: jar as unknown as Cookies, locals } };
}

const NOW = 1_700_000_000_000;
const nowSeconds = NOW / 1000;

describe('loadSession', () => {
  it('given a valid access token, when a request arrives, then locals carry the person and nothing is refreshed', async () => {
    const token = accessToken({ sub: 'user-ann', name: 'Ann', exp: nowSeconds + 600 });
    const { jar, event } = requestEvent({ [ACCESS_COOKIE]: token, [REFRESH_COOKIE]: 'refresh-1' });
    const calls: string[] = [];

    await loadSession(event, new RefreshSingleFlight(), async (refreshToken) => (calls.push(refreshToken), pair('x', 0)), NOW);

    expect(event.locals.user).toEqual({ userId: 'user-ann', displayName: 'Ann' });
    expect(event.locals.accessToken).toBe(token);
    expect(calls).toEqual([]);
    expect(jar.writes).toEqual([]);
  });

  it('given an access token about to expire, when a request arrives, then it is refreshed and both cookies are rewritten (httpOnly, lax, path /)', async () => {
    const old = accessToken({ sub: 'user-ann', name: 'Ann', exp: nowSeconds + REFRESH_MARGIN_SECONDS - 1 });
    const { jar, event } = requestEvent({ [ACCESS_COOKIE]: old, [REFRESH_COOKIE]: 'refresh-1' });
    const fresh = pair('Ann', nowSeconds + 900, 'refresh-2');
    const calls: string[] = [];

    await loadSession(event, new RefreshSingleFlight(), async (refreshToken) => (calls.push(refreshToken), fresh), NOW);

    expect(calls).toEqual(['refresh-1']);
    expect(event.locals.accessToken).toBe(fresh.accessToken);
    expect(event.locals.user).toEqual({ userId: 'user-Ann', displayName: 'Ann' });
    expect(jar.values.get(ACCESS_COOKIE)).toBe(fresh.accessToken);
    expect(jar.values.get(REFRESH_COOKIE)).toBe('refresh-2');
    const access = jar.writes.find((write) => write.name === ACCESS_COOKIE)!;
    const refresh = jar.writes.find((write) => write.name === REFRESH_COOKIE)!;
    expect(access.options).toMatchObject({ path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 900 });
    expect(refresh.options).toMatchObject({ path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 30 * 86_400 });
  });

  it('given only a refresh cookie (the access cookie expired), when a request arrives, then the session is restored from the refresh', async () => {
    const { jar, event } = requestEvent({ [REFRESH_COOKIE]: 'refresh-1' });
    const fresh = pair('Ann', nowSeconds + 900, 'refresh-2');

    await loadSession(event, new RefreshSingleFlight(), async () => fresh, NOW);

    expect(event.locals.user).toEqual({ userId: 'user-Ann', displayName: 'Ann' });
    expect(jar.values.get(REFRESH_COOKIE)).toBe('refresh-2');
  });

  it('given a refresh the API refuses, when a request arrives, then both cookies are cleared and the person is signed out', async () => {
    const old = accessToken({ sub: 'user-ann', name: 'Ann', exp: nowSeconds + 10 });
    const { jar, event } = requestEvent({ [ACCESS_COOKIE]: old, [REFRESH_COOKIE]: 'revoked' });

    await loadSession(event, new RefreshSingleFlight(), async () => Promise.reject(refused()), NOW);

    expect(event.locals.user).toBeNull();
    expect(event.locals.accessToken).toBeNull();
    expect(jar.values.has(ACCESS_COOKIE)).toBe(false);
    expect(jar.values.has(REFRESH_COOKIE)).toBe(false);
    expect(jar.writes.filter((write) => write.options.deleted).map((write) => [write.name, write.options.path])).toEqual([
      [ACCESS_COOKIE, '/'],
      [REFRESH_COOKIE, '/'],
    ]);
  });

  it('given an unreachable API and an access token still valid for a few seconds, when a request arrives, then the session keeps working and the cookies stay', async () => {
    const old = accessToken({ sub: 'user-ann', name: 'Ann', exp: nowSeconds + 10 });
    const { jar, event } = requestEvent({ [ACCESS_COOKIE]: old, [REFRESH_COOKIE]: 'refresh-1' });

    await loadSession(event, new RefreshSingleFlight(), async () => Promise.reject(unavailable()), NOW);

    expect(event.locals.accessToken).toBe(old);
    expect(event.locals.user).toEqual({ userId: 'user-ann', displayName: 'Ann' });
    expect(jar.writes).toEqual([]);
  });

  it('given two requests racing with the same old cookies, when both load the session, then the API refreshes once and both get the new pair', async () => {
    const old = accessToken({ sub: 'user-ann', name: 'Ann', exp: nowSeconds - 1 });
    const flights = new RefreshSingleFlight(() => NOW);
    const first = requestEvent({ [ACCESS_COOKIE]: old, [REFRESH_COOKIE]: 'refresh-1' });
    const second = requestEvent({ [ACCESS_COOKIE]: old, [REFRESH_COOKIE]: 'refresh-1' });
    const fresh = pair('Ann', nowSeconds + 900, 'refresh-2');
    let calls = 0;
    const refresh = async () => (calls++, fresh);

    await Promise.all([loadSession(first.event, flights, refresh, NOW), loadSession(second.event, flights, refresh, NOW)]);

    expect(calls).toBe(1);
    expect(first.jar.values.get(REFRESH_COOKIE)).toBe('refresh-2');
    expect(second.jar.values.get(REFRESH_COOKIE)).toBe('refresh-2');
  });

  it('given a signed-out visitor (no cookies), when a request arrives, then locals are empty and nothing is called', async () => {
    const { jar, event } = requestEvent({});
    let calls = 0;

    await loadSession(event, new RefreshSingleFlight(), async () => (calls++, pair('x', 0)), NOW);

    expect(event.locals.user).toBeNull();
    expect(calls).toBe(0);
    expect(jar.writes).toEqual([]);
  });
});
