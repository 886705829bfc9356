/*
 * The browser session: tokens live only in httpOnly cookies, read once per request in
 * hooks.server.ts. The refresh token never reaches page data or browser JavaScript.
 *
 * Refresh tokens rotate on every use and a reused one revokes its whole family, so two parallel
 * refreshes with the same token would sign the person out. `refreshOnce` keeps one refresh in
 * flight per token and remembers its answer briefly, so requests that arrive with the old
 * cookie (a page load racing the live-token request) get the same new pair.
 */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import type { TokenPair } from '@reeltime/schemas';
import { log } from './log.ts';

export const ACCESS_COOKIE = 'rt_access';
export const REFRESH_COOKIE = 'rt_refresh';
const REFRESH_COOKIE_DAYS = 30; // command-api's refresh-token lifetime
/** Refresh when the access token has less than this left, so no API call meets an expired one. */
export const REFRESH_MARGIN_SECONDS = 60;
/** How long a finished refresh answers requests that still carry the rotated token. */
const REMEMBER_REFRESH_MS = 30_000;

export type Claims = { sub: string; name: string; exp: number };

/** The access token's claims. Not verified here: the APIs verify every token they are given. */
export function claimsOf(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
    return typeof claims.sub === 'string' && typeof claims.exp === 'number'
      ? { sub: claims.sub, name: String(claims.name ?? ''), exp: claims.exp }
      : null;
  } catch {
    return null;
  }
}

type Flight = { promise: Promise<TokenPair | null>; settledAt: number | null };

export class RefreshSingleFlight {
  readonly #flights = new Map<string, Flight>();
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The new pair for this refresh token, or null when the token is no longer valid. `refresh`
   * runs only if no refresh of this token is in flight or recently finished.
   */
  refreshOnce(refreshToken: string, refresh: () => Promise<TokenPair>): Promise<TokenPair | null> {
    this.#forgetOld();
    const existing = this.#flights.get(refreshToken);
    if (existing) return existing.promise;
    const flight: Flight = { promise: Promise.resolve(null), settledAt: null };
    flight.promise = refresh().then(
      (pair) => {
        flight.settledAt = this.now();
        return pair;
      },
      (error: unknown) => {
        // A refused token is final (null); an unreachable API is not remembered, so the next
        // request tries again.
        if (isRefused(error)) {
          flight.settledAt = this.now();
          return null;
        }
        this.#flights.delete(refreshToken);
        throw error;
      },
    );
    this.#flights.set(refreshToken, flight);
    return flight.promise;
  }

  get size(): number {
    return this.#flights.size;
  }

  #forgetOld(): void {
    const now = this.now();
    for (const [token, flight] of this.#flights) {
      if (flight.settledAt !== null && now - flight.settledAt > REMEMBER_REFRESH_MS) this.#flights.delete(token);
    }
  }
}

function isRefused(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 400 || status === 401 || status === 403 || status === 404;
}

function cookieOptions(event: Pick<RequestEvent, 'url'>, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: event.url.protocol === 'https:', maxAge: maxAgeSeconds };
}

export function storeTokens(event: Pick<RequestEvent, 'url' | 'cookies' | 'locals'>, pair: TokenPair): void {
  event.cookies.set(ACCESS_COOKIE, pair.accessToken, cookieOptions(event, pair.expiresIn));
  event.cookies.set(REFRESH_COOKIE, pair.refreshToken, cookieOptions(event, REFRESH_COOKIE_DAYS * 86_400));
  setLocals(event.locals, pair.accessToken);
}

export function clearTokens(event: Pick<RequestEvent, 'url' | 'cookies' | 'locals'>): void {
  event.cookies.delete(ACCESS_COOKIE, cookieOptions(event, 0));
  event.cookies.delete(REFRESH_COOKIE, cookieOptions(event, 0));
  event.locals.user = null;
  event.locals.accessToken = null;
}

export function refreshTokenOf(cookies: Cookies): string | null {
  return cookies.get(REFRESH_COOKIE) ?? null;
}

function setLocals(locals: App.Locals, accessToken: string | null): void {
  const claims = accessToken ? claimsOf(accessToken) : null;
  locals.accessToken = claims ? accessToken : null;
  locals.user = claims ? { userId: claims.sub, displayName: claims.name } : null;
}

/**
 * Reads the session cookies into `locals`, refreshing the access token when it is missing or
 * about to expire. When the APIs cannot be reached, a still-valid access token keeps working.
 */
export async function loadSession(
  event: Pick<RequestEvent, 'url' | 'cookies' | 'locals'>,
  flights: RefreshSingleFlight,
  refresh: (refreshToken: string) => Promise<TokenPair>,
  now = Date.now(),
): Promise<void> {
  const access = event.cookies.get(ACCESS_COOKIE) ?? null;
  const claims = access ? claimsOf(access) : null;
  const secondsLeft = claims ? claims.exp - now / 1000 : -1;
  setLocals(event.locals, secondsLeft > 0 ? access : null);
  if (secondsLeft > REFRESH_MARGIN_SECONDS) return;

  const refreshToken = refreshTokenOf(event.cookies);
  if (!refreshToken) return;
  try {
    const pair = await flights.refreshOnce(refreshToken, () => refresh(refreshToken));
    if (pair) storeTokens(event, pair);
    else clearTokens(event);
  } catch (error) {
    log.warn({ err: error }, 'token refresh failed; keeping the current session');
  }
}
