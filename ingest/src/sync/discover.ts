import type { MediaType, TmdbClient } from '../tmdb/client.ts';
import type { TmdbTitlePage } from '../tmdb/schemas.ts';
import { titleRef, type TitleRef } from './progress-store.ts';

/** TMDb's change feeds cover at most 14 days per request. */
export const CHANGES_MAX_DAYS = 14;
const DAY_MS = 86_400_000;

export type DiscoverOptions = {
  /** Pages read from each list (popular and trending, per media type); Infinity = all. */
  pages: number;
  /** End of the previous change-feed window; null = no feed this time (nothing synced yet). */
  changesSince: Date | null;
  now: Date;
  signal?: AbortSignal;
};

export type Discovered = {
  /** From popular and trending, in first-seen order, each once. */
  listed: TitleRef[];
  /** From the change feeds; the caller keeps only titles it already tracks. */
  changed: TitleRef[];
};

const MEDIA_TYPES: MediaType[] = ['movie', 'tv'];
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Page 1 tells how many pages exist; the rest are fetched together (the client paces them). */
async function allPages<P extends { total_pages: number; results: { id: number }[] }>(
  pages: number,
  fetchPage: (page: number) => Promise<P>,
): Promise<number[]> {
  if (pages < 1) return [];
  const first = await fetchPage(1);
  const last = Math.min(pages, first.total_pages);
  const rest = await Promise.all(Array.from({ length: Math.max(0, last - 1) }, (_, n) => fetchPage(n + 2)));
  return [first, ...rest].flatMap((page) => page.results.map((r) => r.id));
}

export async function discoverTitles(client: TmdbClient, options: DiscoverOptions): Promise<Discovered> {
  const { pages, signal } = options;
  const lists: Promise<{ mediaType: MediaType; ids: number[] }>[] = [];
  for (const mediaType of MEDIA_TYPES) {
    const list = (read: (page: number) => Promise<TmdbTitlePage>) => lists.push(allPages(pages, read).then((ids) => ({ mediaType, ids })));
    list((page) => client.popular(mediaType, page, signal));
    list((page) => client.trending(mediaType, 'day', page, signal));
    list((page) => client.trending(mediaType, 'week', page, signal));
  }
  const changes: Promise<{ mediaType: MediaType; ids: number[] }>[] = [];
  if (options.changesSince) {
    const earliest = options.now.getTime() - CHANGES_MAX_DAYS * DAY_MS;
    const query = { startDate: isoDate(new Date(Math.max(earliest, options.changesSince.getTime()))), endDate: isoDate(options.now) };
    for (const mediaType of MEDIA_TYPES) {
      changes.push(allPages(Infinity, (page) => client.changes(mediaType, { ...query, page }, signal)).then((ids) => ({ mediaType, ids })));
    }
  }
  const unique = (found: { mediaType: MediaType; ids: number[] }[]) => {
    const byId = new Map<string, TitleRef>();
    for (const { mediaType, ids } of found) for (const id of ids) byId.set(`${mediaType}:${id}`, titleRef(mediaType, id));
    return [...byId.values()];
  };
  return { listed: unique(await Promise.all(lists)), changed: unique(await Promise.all(changes)) };
}
