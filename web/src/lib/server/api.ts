/*
 * The one client of command-api and query-api. Every load and form action talks to the APIs
 * through it, server-side: it sends the access token, the correlation id, the browser's address
 * and, on reads, the last command's position as X-Min-Position (read-your-writes).
 *
 * Reads throw SvelteKit's `error()` so a load fails into the error page with the right status;
 * commands throw `ApiError`, which actions turn into `fail()` with field errors (`failure()`).
 */
import { error, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { FieldError, ProblemDetails } from '@reeltime/platform';
import type {
  AddListItemBody,
  CreateListBody,
  DiaryPage,
  FeedPage,
  FeedQuery,
  ImportAccepted,
  ImportStatus,
  ListPage,
  ListView,
  LogWatchBody,
  PageQuery,
  PreferencesBody,
  PreferencesView,
  RateTitleBody,
  RatingPage,
  Recommendations,
  RecommendationsQuery,
  RegisterBody,
  LoginBody,
  SimilarTitles,
  TitleDetails,
  TitlePage,
  TitleSearchQuery,
  TokenPair,
  UpdateListBody,
} from '@reeltime/schemas';
import { LRUCache } from 'lru-cache';
import { apiUrls } from './config.ts';
import { log } from './log.ts';

type Genre = { id: number; name: string };
type Position = { position: string };
type ListChanged = { version: number } & Position;
type Query = Record<string, string | number | boolean | undefined | null>;

export const POSITION_COOKIE = 'rt_pos';

/**
 * Reads that are the same for everyone and change only with the catalog (genres, similar
 * titles), kept briefly in this process: a title page then costs one API call instead of two,
 * and search-as-you-type does not fetch the genres on every pause.
 */
const everyones = new LRUCache<string, object>({ max: 5_000, ttl: 60_000 });
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * From the last byte of an upload passed on to the API's answer: a 32 MiB file is checked whole
 * (a 100,000-row file) before it answers. The browser's own sending has no limit here (it is
 * passed on as it arrives); the server's request timeout bounds it.
 */
const UPLOAD_TIMEOUT_MS = 60_000;

/** A command the API refused (4xx) or could not serve (5xx / unreachable). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** Field errors keyed by the body property they name (`/displayName` → `displayName`). */
  get fields(): Record<string, string> {
    return fieldMessages(this.problem.errors ?? []);
  }
}

export function fieldMessages(errors: FieldError[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { field, message } of errors) {
    const name = field.replace(/^\//, '').split('/')[0] || '_';
    fields[name] ??= message;
  }
  return fields;
}

export type FormFailure = { message: string; errors: Record<string, string>; status: number; code?: string };

/** An action's answer to a refused command: the message and the fields it names, and the status. */
export function failure(
  cause: unknown,
  values: Record<string, unknown> = {},
): ActionFailure<FormFailure & { values: Record<string, unknown> }> {
  if (cause instanceof ApiError) {
    const status = cause.status >= 500 ? 503 : cause.status;
    return fail(status, { message: friendlyMessage(cause), errors: cause.fields, status, code: cause.problem.code, values });
  }
  throw cause;
}

function friendlyMessage(cause: ApiError): string {
  if (cause.status === 412)
    return 'This changed in another tab or on another device; the page now shows the latest version. Please try again.';
  if (cause.status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (cause.status >= 500) return 'Reeltime cannot reach its services right now. Nothing was changed; please try again in a moment.';
  return cause.message;
}

function later(position: string | undefined, other: string | undefined): string | undefined {
  if (!position) return other;
  if (!other) return position;
  return position > other ? position : other; // tokens are zero-padded, so strings compare in order
}

type Event = Pick<RequestEvent, 'cookies' | 'locals' | 'url'>;

type CallOptions = {
  query?: Query;
  body?: unknown;
  /** A multipart body instead of JSON (an upload), sent as it is read. */
  upload?: { body: ReadableStream<Uint8Array>; contentType: string };
  idempotencyKey?: string;
  ifMatch?: number;
  token?: string | null;
  /** Ends the call instead of the usual timeout. */
  signal?: AbortSignal;
};

export class Api {
  constructor(private readonly event: Event) {}

  /** The latest position this browser wrote, so reads wait for it. */
  get minPosition(): string | undefined {
    return this.event.cookies.get(POSITION_COOKIE) || undefined;
  }

  #remember(position: string | undefined): void {
    const next = later(position, this.minPosition);
    if (!next || next === this.minPosition) return;
    this.event.cookies.set(POSITION_COOKIE, next, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.event.url.protocol === 'https:',
      maxAge: 60,
    });
  }

  /** Sends one request with this page request's token, correlation id, address and read position. */
  async #request(base: 'command' | 'query', method: string, path: string, options: CallOptions, signal: AbortSignal): Promise<Response> {
    const url = new URL(apiUrls()[base] + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-request-id': this.event.locals.requestId,
      'x-forwarded-for': this.event.locals.clientAddress,
    };
    const token = options.token === undefined ? this.event.locals.accessToken : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (base === 'query' && this.minPosition) headers['x-min-position'] = this.minPosition;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    let body: string | ReadableStream<Uint8Array> | undefined;
    if (options.upload !== undefined) {
      headers['content-type'] = options.upload.contentType;
      body = options.upload.body;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      // duplex 'half': a stream body is sent while it is still being read (fetch requires saying so).
      return await fetch(url, { method, headers, body, signal, ...(options.upload === undefined ? {} : { duplex: 'half' }) });
    } catch (cause) {
      log.warn({ err: cause, correlationId: this.event.locals.requestId, base, path }, 'API unreachable');
      throw new ApiError(503, {
        type: '/problems/unavailable',
        title: 'Service Unavailable',
        status: 503,
        code: 'unavailable',
        detail: `The ${base} service cannot be reached.`,
      });
    }
  }

  async #call<T>(
    base: 'command' | 'query',
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<{ body: T; headers: Headers }> {
    const response = await this.#request(base, method, path, options, options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) throw problemError(response, parsed, text);
    if (base === 'command')
      this.#remember((parsed as Partial<Position> | undefined)?.position ?? response.headers.get('x-position') ?? undefined);
    return { body: parsed as T, headers: response.headers };
  }

  /**
   * A query-api answer to pass on as it streams (a download): the timeout covers only the wait
   * for its headers, and the upstream request ends when the browser's does.
   */
  async download(path: string, query: Query, browserGone: AbortSignal): Promise<Response> {
    const headersDue = new AbortController();
    const timer = setTimeout(() => headersDue.abort(new Error('no answer in time')), REQUEST_TIMEOUT_MS);
    try {
      const response = await this.#request('query', 'GET', path, { query }, AbortSignal.any([headersDue.signal, browserGone]));
      if (!response.ok) {
        const text = await response.text();
        throw problemError(response, text ? safeJson(text) : undefined, text);
      }
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A read for a load: failures become the error page with a status and a plain message. */
  async read<T>(path: string, query?: Query): Promise<T> {
    try {
      return (await this.#call<T>('query', 'GET', path, { query })).body;
    } catch (cause) {
      if (!(cause instanceof ApiError)) throw cause;
      if (cause.status === 404) error(404, { message: 'Not found. It may be private, deleted, or never existed.' });
      if (cause.status >= 500 || cause.status === 429)
        error(503, { message: 'Reeltime cannot reach its catalog right now. Please try again in a moment.' });
      error(cause.status, { message: cause.message });
    }
  }

  async #everyones<T extends object>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
    const kept = everyones.get(key) as T | undefined;
    if (kept) return kept;
    const value = await read();
    everyones.set(key, value, { ttl: ttlMs });
    return value;
  }

  async #command<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    return (await this.#call<T>('command', method, path, options)).body;
  }

  // ---- reads (query-api) ----
  searchTitles = (query: TitleSearchQuery) => this.read<TitlePage>('/titles', query);
  title = (titleId: string) => this.read<TitleDetails>(`/titles/${encodeURIComponent(titleId)}`);
  similarTitles = (titleId: string, limit = 12) =>
    this.#everyones(`similar:${titleId}:${limit}`, 60_000, () =>
      this.read<SimilarTitles>(`/titles/${encodeURIComponent(titleId)}/similar`, { limit }),
    );
  /** Sorted by name. */
  genres = () =>
    this.#everyones('genres', 10 * 60_000, async () => (await this.read<Genre[]>('/genres')).sort((a, b) => a.name.localeCompare(b.name)));
  feed = (query: FeedQuery = {}) => this.read<FeedPage>('/feed', query);
  myLists = (query: PageQuery = {}) => this.read<ListPage>('/me/lists', query);
  userLists = (userId: string, query: PageQuery = {}) => this.read<ListPage>(`/users/${encodeURIComponent(userId)}/lists`, query);
  list = (listId: string, query: PageQuery = {}) => this.read<ListView>(`/lists/${encodeURIComponent(listId)}`, query);
  myRatings = (query: PageQuery = {}) => this.read<RatingPage>('/me/ratings', query);
  myDiary = (query: PageQuery = {}) => this.read<DiaryPage>('/me/diary', query);
  myPreferences = () => this.read<PreferencesView>('/me/preferences');
  recommendations = (query: RecommendationsQuery = {}) => this.read<Recommendations>('/me/recommendations', query);
  importStatus = (importId: string) => this.read<ImportStatus>(`/imports/${encodeURIComponent(importId)}`);

  // ---- commands (command-api) ----
  register = (body: RegisterBody) => this.#command<TokenPair & Position>('POST', '/auth/register', { body, token: null });
  login = (body: LoginBody) => this.#command<TokenPair>('POST', '/auth/login', { body, token: null });
  refresh = (refreshToken: string) => this.#command<TokenPair>('POST', '/auth/refresh', { body: { refreshToken }, token: null });
  logout = (refreshToken: string) => this.#command<void>('POST', '/auth/logout', { body: { refreshToken }, token: null });
  logoutEverywhere = () => this.#command<void>('POST', '/auth/logout-all');
  deleteAccount = () => this.#command<Position>('DELETE', '/me');

  createList = (body: CreateListBody, idempotencyKey: string) =>
    this.#command<{ listId: string } & ListChanged>('POST', '/lists', { body, idempotencyKey });
  updateList = (listId: string, body: UpdateListBody, version?: number) =>
    this.#command<ListChanged>('PATCH', `/lists/${listId}`, { body, ifMatch: version });
  deleteList = (listId: string, version?: number) => this.#command<Position>('DELETE', `/lists/${listId}`, { ifMatch: version });
  addListItem = (listId: string, body: AddListItemBody, options: { version?: number; idempotencyKey?: string } = {}) =>
    this.#command<ListChanged>('POST', `/lists/${listId}/items`, {
      body,
      ifMatch: options.version,
      idempotencyKey: options.idempotencyKey,
    });
  removeListItem = (listId: string, titleId: string, version?: number) =>
    this.#command<ListChanged>('DELETE', `/lists/${listId}/items/${encodeURIComponent(titleId)}`, { ifMatch: version });
  reorderList = (listId: string, titleIds: string[], version?: number) =>
    this.#command<ListChanged>('PUT', `/lists/${listId}/order`, { body: { titleIds }, ifMatch: version });

  rate = (titleId: string, body: RateTitleBody) => this.#command<Position>('PUT', `/ratings/${encodeURIComponent(titleId)}`, { body });
  unrate = (titleId: string) => this.#command<Position>('DELETE', `/ratings/${encodeURIComponent(titleId)}`);
  logWatch = (body: LogWatchBody, idempotencyKey: string) =>
    this.#command<{ entryId: string } & Position>('POST', '/diary', { body, idempotencyKey });
  removeDiaryEntry = (entryId: string) => this.#command<Position>('DELETE', `/diary/${encodeURIComponent(entryId)}`);
  setPreferences = (body: PreferencesBody) => this.#command<Position>('PUT', '/preferences', { body });
  /**
   * `POST /imports` with a multipart body (`source` and `file`) passed on as the browser sends it,
   * never held whole here; the API reads it all before answering 202.
   */
  importUpload = async (upload: { body: ReadableStream<Uint8Array>; contentType: string }, idempotencyKey: string) => {
    const answerDue = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sent = new TransformStream<Uint8Array, Uint8Array>({
      flush: () => {
        timer = setTimeout(() => answerDue.abort(new Error('no answer in time')), UPLOAD_TIMEOUT_MS);
      },
    });
    try {
      return await this.#command<ImportAccepted>('POST', '/imports', {
        upload: { body: upload.body.pipeThrough(sent), contentType: upload.contentType },
        idempotencyKey,
        signal: answerDue.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  };
}

function problemError(response: Response, parsed: unknown, text: string): ApiError {
  const problem: ProblemDetails =
    parsed && typeof parsed === 'object' && 'status' in parsed
      ? (parsed as ProblemDetails)
      : { type: 'about:blank', title: response.statusText, status: response.status, detail: text.slice(0, 200) };
  return new ApiError(response.status, problem);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The client for this request. */
export function api(event: Event): Api {
  return new Api(event);
}
