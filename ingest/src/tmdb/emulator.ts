import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MediaType } from './client.ts';

/*
 * TMDb v3, as far as ingest reads it, served from memory: details, popular, trending, the
 * change feeds and find by IMDb id. The demo catalog and the tests' fake TMDb both run on this, so ingest talks to
 * them through exactly the code that talks to the real API.
 */

const PAGE_SIZE = 20;
/** TMDb refuses pages past 500 on list endpoints. */
const MAX_PAGE = 500;

type Details = { id: number; popularity?: number; vote_count?: number } & Record<string, unknown>;
type Entry = { details: Details; body: string };

export type EmulatedRequest = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; at: number };

/**
 * Runs before routing; return true when it answered the request itself (to inject faults).
 * It must then end `response` (or leave it hanging, to simulate a stalled server).
 */
export type Interceptor = (request: EmulatedRequest, response: ServerResponse) => boolean;

export type TmdbEmulatorOptions = {
  movies?: Iterable<Details>;
  tv?: Iterable<Details>;
  /** Ids the change feeds list, whatever the dates asked. */
  changes?: Partial<Record<MediaType, number[]>>;
  /** When set, requests must carry this Bearer token or api_key. */
  credential?: { token?: string; apiKey?: string };
  intercept?: Interceptor;
  port?: number;
};

export type TmdbEmulator = {
  /** The v3 root to use as TMDB_BASE_URL. */
  readonly url: string;
  put(mediaType: MediaType, details: Details): void;
  remove(mediaType: MediaType, id: number): void;
  setChanges(mediaType: MediaType, ids: number[]): void;
  count(mediaType: MediaType): number;
  close(): Promise<void>;
};

const json = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
};
const tmdbError = (response: ServerResponse, status: number, code: number, message: string) =>
  json(response, status, JSON.stringify({ success: false, status_code: code, status_message: message }));

/** The short form TMDb uses in list results. */
function listItem(mediaType: MediaType, details: Details, withMediaType: boolean): Record<string, unknown> {
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => k in details).map((k) => [k, details[k]]));
  const common = pick([
    'id',
    'adult',
    'backdrop_path',
    'original_language',
    'overview',
    'popularity',
    'poster_path',
    'vote_average',
    'vote_count',
  ]);
  const genreIds = Array.isArray(details.genres) ? (details.genres as { id: number }[]).map((g) => g.id) : [];
  const named =
    mediaType === 'movie' ? pick(['title', 'original_title', 'release_date']) : pick(['name', 'original_name', 'first_air_date']);
  return { ...common, ...named, genre_ids: genreIds, ...(withMediaType ? { media_type: mediaType } : {}) };
}

export async function startTmdbEmulator(options: TmdbEmulatorOptions = {}): Promise<TmdbEmulator> {
  const catalog: Record<MediaType, Map<number, Entry>> = { movie: new Map(), tv: new Map() };
  const changes: Record<MediaType, number[]> = { movie: options.changes?.movie ?? [], tv: options.changes?.tv ?? [] };
  // Sorted lists are rebuilt lazily: the fake server replaces titles between runs.
  const sorted: Partial<Record<string, Details[]>> = {};
  const put = (mediaType: MediaType, details: Details) => {
    catalog[mediaType].set(details.id, { details, body: JSON.stringify(details) });
    for (const key of Object.keys(sorted)) delete sorted[key];
  };
  for (const details of options.movies ?? []) put('movie', details);
  for (const details of options.tv ?? []) put('tv', details);

  const ranking = (mediaType: MediaType, by: 'popularity' | 'vote_count'): Details[] => {
    const key = `${mediaType}:${by}`;
    return (sorted[key] ??= [...catalog[mediaType].values()]
      .map((entry) => entry.details)
      .sort((a, b) => (b[by] ?? 0) - (a[by] ?? 0) || a.id - b.id));
  };

  /** Only the requested slice is turned into list items: a full catalog per page would be quadratic. */
  const page = <T>(
    response: ServerResponse,
    query: URLSearchParams,
    items: readonly T[],
    toItem: (item: T) => unknown = (item) => item,
  ) => {
    const number = Number(query.get('page') ?? '1');
    if (!Number.isInteger(number) || number < 1 || number > MAX_PAGE) {
      return tmdbError(response, 400, 22, 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.');
    }
    const totalPages = Math.min(MAX_PAGE, Math.ceil(items.length / PAGE_SIZE));
    json(
      response,
      200,
      JSON.stringify({
        page: number,
        results: items.slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE).map(toItem),
        total_pages: totalPages,
        total_results: items.length,
      }),
    );
  };

  const authorized = (request: EmulatedRequest): boolean => {
    const wanted = options.credential;
    if (!wanted) return true;
    if (wanted.token && request.headers.authorization === `Bearer ${wanted.token}`) return true;
    return wanted.apiKey !== undefined && request.query.get('api_key') === wanted.apiKey;
  };

  const route = (request: EmulatedRequest, response: ServerResponse) => {
    const parts = request.path.split('/').filter(Boolean);
    if (parts[0] !== '3') return tmdbError(response, 404, 34, 'The resource you requested could not be found.');
    const [, first, second, third] = parts;
    const mediaType = (first === 'movie' || first === 'tv' ? first : undefined) as MediaType | undefined;
    if (mediaType && second === 'popular' && parts.length === 3) {
      return page(response, request.query, ranking(mediaType, 'popularity'), (d) => listItem(mediaType, d, false));
    }
    if (mediaType && second === 'changes' && parts.length === 3) {
      return page(
        response,
        request.query,
        changes[mediaType].map((id) => ({ id, adult: false })),
      );
    }
    if (mediaType && second !== undefined && /^[1-9][0-9]*$/.test(second) && parts.length === 3) {
      const entry = catalog[mediaType].get(Number(second));
      if (!entry) return tmdbError(response, 404, 34, 'The resource you requested could not be found.');
      return json(response, 200, entry.body);
    }
    if (first === 'find' && second !== undefined && parts.length === 3) {
      if (request.query.get('external_source') !== 'imdb_id') return tmdbError(response, 400, 5, 'Invalid parameters: external_source');
      const found = (mediaType: MediaType) =>
        [...catalog[mediaType].values()]
          .map((entry) => entry.details)
          .filter((d) => d.imdb_id === second || (d.external_ids as { imdb_id?: unknown } | undefined)?.imdb_id === second)
          .map((d) => listItem(mediaType, d, true));
      return json(
        response,
        200,
        JSON.stringify({
          movie_results: found('movie'),
          person_results: [],
          tv_results: found('tv'),
          tv_episode_results: [],
          tv_season_results: [],
        }),
      );
    }
    if (first === 'trending' && (second === 'movie' || second === 'tv') && (third === 'day' || third === 'week') && parts.length === 4) {
      return page(response, request.query, ranking(second, third === 'day' ? 'popularity' : 'vote_count'), (d) =>
        listItem(second, d, true),
      );
    }
    return tmdbError(response, 404, 34, 'The resource you requested could not be found.');
  };

  const server = createServer((req, response) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: EmulatedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      at: performance.now(),
    };
    if (options.intercept?.(request, response)) return;
    if (request.method !== 'GET') return tmdbError(response, 405, 3, 'Method not allowed.');
    if (!authorized(request)) return tmdbError(response, 401, 7, 'Invalid API key: You must be granted a valid key.');
    route(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/3`,
    put,
    remove: (mediaType, id) => {
      catalog[mediaType].delete(id);
      for (const key of Object.keys(sorted)) delete sorted[key];
    },
    setChanges: (mediaType, ids) => {
      changes[mediaType] = [...ids];
    },
    count: (mediaType) => catalog[mediaType].size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
