import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { filtersHref, parseCursor, parseFilters, searchQuery } from './filters.ts';

export const load: PageServerLoad = async (event) => {
  const filters = parseFilters(event.url.searchParams);
  const cursor = parseCursor(event.url.searchParams);
  // The form without JavaScript sends every field, empty ones too: answer at the tidy address
  // (`?q=heat` rather than `?q=heat&type=&genre=…`), the one people copy and share.
  if ([...event.url.searchParams.values()].some((value) => value.trim() === '')) redirect(303, filtersHref(filters, cursor));
  const client = api(event);
  const genreList = await client.genres();
  // An unknown genre (an old link) is left out rather than refused.
  if (filters.genre !== null && !genreList.some((genre) => genre.id === filters.genre)) filters.genre = null;
  const page = await client.searchTitles(searchQuery(filters, cursor));
  return { filters, cursor, page, genres: genreList };
};
