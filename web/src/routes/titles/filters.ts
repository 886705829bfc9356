/*
 * The browse page's filters as its URL carries them (`?q=&type=&genre=&yearFrom=&yearTo=&sort=`),
 * read by the page's load and by the next-page endpoint alike, so a page and the pages appended
 * to it always ask query-api the same question. Nothing here is server-only: the page builds its
 * links with `filterParams`.
 */
import type { MediaType, TitleSearchQuery, TitleSort } from '@reeltime/schemas';

type GenreId = NonNullable<TitleSearchQuery['genre']>;

export type TitleFilters = {
  q: string;
  type: MediaType | null;
  /** Checked against the genre list by the load; a number here is only well-formed. */
  genre: GenreId | null;
  yearFrom: number | null;
  yearTo: number | null;
  /** As asked; null means the default: relevance when searching, else popular. */
  sort: TitleSort | null;
};

export const PAGE_SIZE = 24;
const MIN_YEAR = 1870;
const MAX_YEAR = 2200;
const SORTS: readonly TitleSort[] = ['popular', 'top_rated', 'newest', 'trending', 'relevance'];
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;

function year(raw: string | null): number | null {
  if (!raw || !/^\d{4}$/.test(raw.trim())) return null;
  const value = Number(raw.trim());
  return value >= MIN_YEAR && value <= MAX_YEAR ? value : null;
}

/**
 * Lenient on purpose: a hand-edited or stale URL drops the part it cannot use instead of
 * failing the page. `year=` (api.md's single year, and older links) reads as a one-year range.
 */
export function parseFilters(params: URLSearchParams): TitleFilters {
  const type = params.get('type');
  const genre = params.get('genre');
  const sort = params.get('sort') as TitleSort | null;
  let yearFrom = year(params.get('yearFrom')) ?? year(params.get('year'));
  let yearTo = year(params.get('yearTo')) ?? year(params.get('year'));
  if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    type: type === 'movie' || type === 'tv' ? type : null,
    genre: genre && /^\d{1,9}$/.test(genre) ? (Number(genre) as GenreId) : null,
    yearFrom,
    yearTo,
    sort: sort && SORTS.includes(sort) ? sort : null,
  };
}

export function parseCursor(params: URLSearchParams): string | null {
  const cursor = params.get('cursor');
  return cursor && CURSOR.test(cursor) ? cursor : null;
}

/** The sort query-api applies when none is asked for. */
export const defaultSort = (filters: Pick<TitleFilters, 'q'>): TitleSort => (filters.q ? 'relevance' : 'popular');

/** The question for query-api; a one-year range is asked as `year`. */
export function searchQuery(filters: TitleFilters, cursor: string | null = null): TitleSearchQuery {
  const { q, type, genre, yearFrom, yearTo, sort } = filters;
  const single = yearFrom !== null && yearFrom === yearTo;
  return {
    q: q || undefined,
    type: type ?? undefined,
    genre: genre ?? undefined,
    year: single ? yearFrom : undefined,
    yearFrom: single ? undefined : (yearFrom ?? undefined),
    yearTo: single ? undefined : (yearTo ?? undefined),
    sort: sort ?? undefined,
    limit: PAGE_SIZE,
    cursor: cursor ?? undefined,
  };
}

/** The filters as URL parameters, empty ones left out (the form's names). */
export function filterParams(filters: TitleFilters, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.type) params.set('type', filters.type);
  if (filters.genre !== null) params.set('genre', String(filters.genre));
  if (filters.yearFrom !== null) params.set('yearFrom', String(filters.yearFrom));
  if (filters.yearTo !== null) params.set('yearTo', String(filters.yearTo));
  // The default sort stays out of the URL, so typing a search after choosing nothing ranks by relevance.
  if (filters.sort && filters.sort !== defaultSort(filters) && (filters.q || filters.sort !== 'relevance'))
    params.set('sort', filters.sort);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** `/titles?…` for these filters, or `base` with them (e.g. the next-page endpoint). */
export function filtersHref(filters: TitleFilters, cursor: string | null = null, base = '/titles'): string {
  const query = filterParams(filters, cursor).toString();
  return query ? `${base}?${query}` : base;
}

export function hasFilters(filters: TitleFilters): boolean {
  return filters.type !== null || filters.genre !== null || filters.yearFrom !== null || filters.yearTo !== null;
}
