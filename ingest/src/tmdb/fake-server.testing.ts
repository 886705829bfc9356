import type { ServerResponse } from 'node:http';
import type { MediaType } from './client.ts';
import { startTmdbEmulator, type EmulatedRequest, type TmdbEmulator, type TmdbEmulatorOptions } from './emulator.ts';

/*
 * The fake TMDb of the tests and the bench: the emulator over synthetic titles, plus a log of
 * every request and faults to inject (429 with Retry-After, 5xx, stalls, malformed bodies).
 */

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Never answers: the client's timeout has to fire. */
  | { kind: 'stall' }
  | { kind: 'malformed-json' }
  /** Valid JSON, but not the shape TMDb documents. */
  | { kind: 'wrong-shape' };

export type FakeTmdb = TmdbEmulator & {
  readonly requests: EmulatedRequest[];
  /** The next requests to `path` (e.g. `/3/movie/1`) get these faults, one each, in order. */
  failNext(path: string, ...faults: Fault[]): void;
  /** Every request to `path` gets this fault until cleared with `undefined`. */
  failAlways(path: string, fault: Fault | undefined): void;
  /** Requests so far whose path is exactly `path`. */
  hits(path: string): number;
};

const PROVIDERS = [
  { provider_id: 8, provider_name: 'Netflix', logo_path: '/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg', display_priority: 0 },
  { provider_id: 337, provider_name: 'Disney Plus', logo_path: '/97yvRBw1GzX7fXprcF80er19ot.jpg', display_priority: 1 },
  { provider_id: 2, provider_name: 'Apple TV', logo_path: '/9ghgSC0MA082EL6HLCW3GalykFD.jpg', display_priority: 4 },
];

const cast = (id: number, count: number) =>
  Array.from({ length: count }, (_, n) => ({
    adult: false,
    gender: 2,
    id: 10_000 + ((id * 31 + n) % 50_000) + 1,
    known_for_department: 'Acting',
    name: `Actor ${id}-${n}`,
    original_name: `Actor ${id}-${n}`,
    popularity: 5,
    profile_path: `/actor${n}.jpg`,
    cast_id: n + 1,
    character: `Character ${n}`,
    credit_id: `c${id}x${n}`,
    order: n,
  }));

const keywords = (id: number) => Array.from({ length: 6 }, (_, n) => ({ id: 1000 + ((id + n) % 900), name: `keyword ${(id + n) % 900}` }));

const watchProviders = (mediaType: MediaType, id: number) => ({
  results: Object.fromEntries(
    ['US', 'GB', 'DE'].map((region, n) => [
      region,
      {
        link: `https://www.themoviedb.org/${mediaType}/${id}/watch?locale=${region}`,
        flatrate: [PROVIDERS[n % PROVIDERS.length]],
        buy: [PROVIDERS[2]],
      },
    ]),
  ),
});

const popularity = (id: number) => 1 + ((id * 7919) % 100_000) / 100;
const date = (id: number) => `${1950 + (id % 75)}-${String(1 + (id % 12)).padStart(2, '0')}-${String(1 + (id % 28)).padStart(2, '0')}`;

/** A movie details response with every append ingest asks for. */
export function syntheticMovie(id: number, overrides: Record<string, unknown> = {}) {
  return {
    adult: false,
    backdrop_path: `/backdrop${id}.jpg`,
    belongs_to_collection: null,
    budget: 1_000_000,
    genres: [
      { id: 28, name: 'Action' },
      { id: 18, name: 'Drama' },
    ],
    homepage: '',
    id,
    imdb_id: `tt${String(100_000 + id).padStart(7, '0')}`,
    origin_country: ['US'],
    original_language: 'en',
    original_title: `Movie ${id}`,
    overview: `The story of movie ${id}.`,
    popularity: popularity(id),
    poster_path: `/poster${id}.jpg`,
    production_companies: [],
    release_date: date(id),
    revenue: 0,
    runtime: 90 + (id % 60),
    spoken_languages: [{ english_name: 'English', iso_639_1: 'en', name: 'English' }],
    status: 'Released',
    tagline: '',
    title: `Movie ${id}`,
    video: false,
    vote_average: 5 + (id % 50) / 10,
    vote_count: 100 + id,
    credits: {
      cast: cast(id, 20),
      crew: [
        { id: 90_000 + id, name: `Director ${id}`, job: 'Director', department: 'Directing', credit_id: `d${id}` },
        { id: 95_000 + id, name: `Writer ${id}`, job: 'Screenplay', department: 'Writing', credit_id: `w${id}` },
      ],
    },
    keywords: { keywords: keywords(id) },
    external_ids: {
      imdb_id: `tt${String(100_000 + id).padStart(7, '0')}`,
      wikidata_id: null,
      facebook_id: null,
      instagram_id: null,
      twitter_id: null,
    },
    'watch/providers': watchProviders('movie', id),
    release_dates: {
      results: [{ iso_3166_1: 'US', release_dates: [{ certification: 'PG-13', release_date: `${date(id)}T00:00:00.000Z`, type: 3 }] }],
    },
    ...overrides,
  };
}

/** A series details response with every append ingest asks for. */
export function syntheticTv(id: number, overrides: Record<string, unknown> = {}) {
  return {
    adult: false,
    backdrop_path: `/tvbackdrop${id}.jpg`,
    created_by: [{ id: 80_000 + id, credit_id: `cb${id}`, name: `Creator ${id}`, gender: 1, profile_path: null }],
    episode_run_time: [45],
    first_air_date: date(id),
    genres: [
      { id: 18, name: 'Drama' },
      { id: 10765, name: 'Sci-Fi & Fantasy' },
    ],
    homepage: '',
    id,
    in_production: false,
    languages: ['en'],
    last_air_date: date(id + 1),
    last_episode_to_air: { id: id * 10, name: 'Finale', runtime: 47, season_number: 3, episode_number: 10 },
    name: `Series ${id}`,
    number_of_episodes: 30,
    number_of_seasons: 3,
    origin_country: ['US'],
    original_language: 'en',
    original_name: `Series ${id}`,
    overview: `The saga of series ${id}.`,
    popularity: popularity(id),
    poster_path: `/tvposter${id}.jpg`,
    status: 'Ended',
    type: 'Scripted',
    vote_average: 6 + (id % 40) / 10,
    vote_count: 50 + id,
    aggregate_credits: {
      cast: cast(id, 18).map(({ character, credit_id, cast_id: _cast, ...person }) => ({
        ...person,
        roles: [{ credit_id, character, episode_count: 30 - person.order }],
        total_episode_count: 30 - person.order,
      })),
      crew: [],
    },
    keywords: { results: keywords(id) },
    external_ids: { imdb_id: `tt${String(900_000 + id).padStart(7, '0')}`, tvdb_id: id },
    'watch/providers': watchProviders('tv', id),
    content_ratings: { results: [{ iso_3166_1: 'US', rating: 'TV-14', descriptors: [] }] },
    ...overrides,
  };
}

const range = (count: number, from = 1) => Array.from({ length: count }, (_, n) => from + n);

export type FakeTmdbOptions = Omit<TmdbEmulatorOptions, 'movies' | 'tv' | 'intercept'> & {
  /** Movie ids 1..movies (or these ids). */
  movies?: number | number[];
  tv?: number | number[];
};

export async function startFakeTmdb(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const ids = (value: number | number[] | undefined) => (Array.isArray(value) ? value : range(value ?? 0));
  const requests: EmulatedRequest[] = [];
  const queued = new Map<string, Fault[]>();
  const always = new Map<string, Fault>();

  const inject = (fault: Fault, response: ServerResponse) => {
    switch (fault.kind) {
      case 'status': {
        const body = JSON.stringify({ success: false, status_code: 25, status_message: `injected ${fault.status}` });
        response.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
        });
        response.end(body);
        return;
      }
      case 'stall':
        return;
      case 'malformed-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id": 1, "title": "Trunc');
        return;
      case 'wrong-shape':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'not-a-number', results: 'nope' }));
        return;
    }
  };

  const emulator = await startTmdbEmulator({
    ...options,
    movies: ids(options.movies).map((id) => syntheticMovie(id)),
    tv: ids(options.tv).map((id) => syntheticTv(id)),
    intercept: (request, response) => {
      requests.push(request);
      const fault = queued.get(request.path)?.shift() ?? always.get(request.path);
      if (!fault) return false;
      inject(fault, response);
      return true;
    },
  });

  return {
    ...emulator,
    requests,
    failNext: (path, ...faults) => queued.set(path, [...(queued.get(path) ?? []), ...faults]),
    failAlways: (path, fault) => (fault ? always.set(path, fault) : always.delete(path)),
    hits: (path) => requests.filter((r) => r.path === path).length,
  };
}
