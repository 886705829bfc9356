import CircuitBreaker from 'opossum';
import pLimit from 'p-limit';
import pThrottle from 'p-throttle';
import type { Logger } from 'pino';
import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from './backoff.ts';
import { CircuitOpenError, MalformedResponseError, RetryableStatusError, TmdbHttpError, TmdbUnavailableError } from './errors.ts';
import { TmdbChangesPage, TmdbMovieDetails, TmdbTitlePage, TmdbTvDetails } from './schemas.ts';
import { wait } from './wait.ts';

export type TmdbCredential = { kind: 'bearer'; token: string } | { kind: 'apiKey'; key: string };
export type MediaType = 'movie' | 'tv';

export type TmdbClientOptions = {
  /** The v3 root, e.g. `https://api.themoviedb.org/3`. */
  baseUrl: string;
  credential: TmdbCredential;
  /** Requests started per second, over any one-second window; 0 or Infinity lifts the limit. */
  requestsPerSecond?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Attempts after the first on network errors, timeouts, 5xx and 429. */
  retries?: number;
  backoff?: BackoffOptions;
  /** A longer Retry-After is capped to this (a bad header must not park the service for hours). */
  maxRetryAfterMs?: number;
  breaker?: {
    /** Failed share of recent requests, in percent, that opens the circuit. */
    errorThresholdPercentage?: number;
    /** Requests in the window before the share is judged at all. */
    volumeThreshold?: number;
    /** How long the circuit stays open before letting one request try. */
    resetTimeoutMs?: number;
    rollingWindowMs?: number;
  };
  log?: Logger;
};

export const DETAIL_APPENDS: Record<MediaType, string> = {
  movie: 'credits,keywords,external_ids,watch/providers,release_dates',
  tv: 'aggregate_credits,keywords,external_ids,watch/providers,content_ratings',
};

export type ChangesQuery = { startDate: string; endDate: string; page: number };

export type TmdbClient = {
  movieDetails(id: number, signal?: AbortSignal): Promise<TmdbMovieDetails>;
  tvDetails(id: number, signal?: AbortSignal): Promise<TmdbTvDetails>;
  popular(mediaType: MediaType, page: number, signal?: AbortSignal): Promise<TmdbTitlePage>;
  trending(mediaType: MediaType, window: 'day' | 'week', page: number, signal?: AbortSignal): Promise<TmdbTitlePage>;
  changes(mediaType: MediaType, query: ChangesQuery, signal?: AbortSignal): Promise<TmdbChangesPage>;
  /** Any v3 GET, validated against `schema`. */
  get<S extends TSchema>(path: string, query: Record<string, string>, schema: S, signal?: AbortSignal): Promise<Static<S>>;
  readonly breakerOpen: boolean;
  close(): void;
};

const validators = new WeakMap<TSchema, Validator>();
function validatorFor(schema: TSchema): Validator {
  let validator = validators.get(schema);
  if (!validator) validators.set(schema, (validator = Compile(schema)));
  return validator;
}

function describeIssues(validator: Validator, value: unknown): string {
  return [...validator.Errors(value)]
    .slice(0, 3)
    .map((error) => `${error.instancePath || '/'} ${error.message}`)
    .join('; ');
}

export function createTmdbClient(options: TmdbClientOptions): TmdbClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 4;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const rate = options.requestsPerSecond ?? 40;
  const log = options.log;
  const concurrency = pLimit(options.concurrency ?? 8);
  // Strict mode: the limit holds over every sliding second, not just per fixed window
  // (the windowed default lets up to twice the limit through around a window edge).
  const gate =
    rate > 0 && Number.isFinite(rate)
      ? pThrottle({ limit: Math.max(1, Math.round(rate)), interval: 1000, strict: true })(() => undefined)
      : async () => undefined;
  /** TMDb's 429 is per client, not per request: after one, every request waits. */
  let pausedUntil = 0;

  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.credential.kind === 'bearer') headers.authorization = `Bearer ${options.credential.token}`;

  function urlFor(path: string, query: Record<string, string>): string {
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    if (options.credential.kind === 'apiKey') url.searchParams.set('api_key', options.credential.key);
    return url.toString();
  }

  async function attempt(path: string, url: string, validator: Validator, signal: AbortSignal | undefined): Promise<unknown> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    const response = await fetch(url, { headers, signal: AbortSignal.any(signals) });
    const body = await response.text();
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      throw new RetryableStatusError(path, response.status, retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs));
    }
    if (!response.ok) {
      let detail: string;
      try {
        detail = String((JSON.parse(body) as { status_message?: unknown }).status_message ?? '');
      } catch {
        detail = body.slice(0, 200);
      }
      throw new TmdbHttpError(path, response.status, detail);
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new MalformedResponseError(path, `not JSON: ${(error as Error).message}`);
    }
    if (!validator.Check(value)) throw new MalformedResponseError(path, describeIssues(validator, value));
    return value;
  }

  const isRetryable = (error: unknown, signal: AbortSignal | undefined): boolean => {
    if (signal?.aborted) return false;
    if (error instanceof RetryableStatusError) return true;
    // fetch rejects with TypeError on network failures and TimeoutError on our timeout.
    return error instanceof TypeError || (error as Error)?.name === 'TimeoutError';
  };

  async function withRetries(path: string, url: string, validator: Validator, signal: AbortSignal | undefined): Promise<unknown> {
    for (let retry = 0; ; retry++) {
      const paused = pausedUntil - Date.now();
      if (paused > 0) await wait(paused, signal);
      try {
        return await concurrency(async () => {
          await gate();
          signal?.throwIfAborted();
          return attempt(path, url, validator, signal);
        });
      } catch (error) {
        if (!isRetryable(error, signal)) throw signal?.aborted ? signal.reason : error;
        if (retry >= retries) throw new TmdbUnavailableError(path, retry + 1, { cause: error });
        const retryAfter = error instanceof RetryableStatusError ? error.retryAfterMs : undefined;
        if (retryAfter !== undefined) pausedUntil = Math.max(pausedUntil, Date.now() + retryAfter);
        const delay = retryAfter ?? backoffDelay(retry, backoff);
        log?.warn({ path, retry: retry + 1, delayMs: Math.round(delay), err: (error as Error).message }, 'TMDb request failed; retrying');
        await wait(delay, signal);
      }
    }
  }

  // Only exhausted retries count against TMDb's health: a 404 or a bad payload says nothing
  // about whether the next request will get through.
  const breaker = new CircuitBreaker((task: () => Promise<unknown>) => task(), {
    timeout: false,
    errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
    volumeThreshold: options.breaker?.volumeThreshold ?? 10,
    resetTimeout: options.breaker?.resetTimeoutMs ?? 30_000,
    rollingCountTimeout: options.breaker?.rollingWindowMs ?? 10_000,
    errorFilter: (error: unknown) => !(error instanceof TmdbUnavailableError),
  });
  breaker.on('open', () => log?.error('TMDb circuit breaker opened: too many failed requests'));
  breaker.on('halfOpen', () => log?.info('TMDb circuit breaker half-open: trying one request'));
  breaker.on('close', () => log?.info('TMDb circuit breaker closed'));

  async function get<S extends TSchema>(path: string, query: Record<string, string>, schema: S, signal?: AbortSignal): Promise<Static<S>> {
    const url = urlFor(path, query);
    const validator = validatorFor(schema);
    try {
      return (await breaker.fire(() => withRetries(path, url, validator, signal))) as Static<S>;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw new CircuitOpenError(path);
      throw error;
    }
  }

  return {
    get,
    movieDetails: (id, signal) => get(`/movie/${id}`, { append_to_response: DETAIL_APPENDS.movie }, TmdbMovieDetails, signal),
    tvDetails: (id, signal) => get(`/tv/${id}`, { append_to_response: DETAIL_APPENDS.tv }, TmdbTvDetails, signal),
    popular: (mediaType, page, signal) => get(`/${mediaType}/popular`, { page: String(page) }, TmdbTitlePage, signal),
    trending: (mediaType, window, page, signal) => get(`/trending/${mediaType}/${window}`, { page: String(page) }, TmdbTitlePage, signal),
    changes: (mediaType, { startDate, endDate, page }, signal) =>
      get(`/${mediaType}/changes`, { start_date: startDate, end_date: endDate, page: String(page) }, TmdbChangesPage, signal),
    get breakerOpen() {
      return breaker.opened;
    },
    close: () => breaker.shutdown(),
  };
}
