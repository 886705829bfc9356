import { redirect } from '@sveltejs/kit';
import { api, type Api } from '$lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { filtersHref, parseCursor, parseFilters, searchQuery } from './filters.ts';

type Genres = Awaited<ReturnType<Api['genres']>>;

/**
 * The genre list changes only when the catalog does, yet search-as-you-type re-runs this load on
 * every pause in typing: keep it for a while instead of asking each time.
 */
const GENRES_TTL_MS = 10 * 60_000;
let genresCache: { genres: Genres; until: number } | null = null;

async function genres(client: Api): Promise<Genres> {
  if (genresCache && genresCache.until > Date.now()) return genresCache.genres;
  const sorted = [...(await client.genres())].sort((a, b) => a.name.localeCompare(b.name));
  genresCache = { genres: sorted, until: Date.now() + GENRES_TTL_MS };
  return sorted;
}

export const load: PageServerLoad = async (event) => {
  const filters = parseFilters(event.url.searchParams);
  const cursor = parseCursor(event.url.searchParams);
  // The form without JavaScript sends every field, empty ones too: answer at the tidy address
  // (`?q=heat` rather than `?q=heat&type=&genre=…`), the one people copy and share.
  if ([...event.url.searchParams.values()].some((value) => value.trim() === '')) redirect(303, filtersHref(filters, cursor));
  const client = api(event);
  const genreList = await genres(client);
  // An unknown genre (an old link) is left out rather than refused.
  if (filters.genre !== null && !genreList.some((genre) => genre.id === filters.genre)) filters.genre = null;
  const page = await client.searchTitles(searchQuery(filters, cursor));
  return { filters, cursor, page, genres: genreList };
};
