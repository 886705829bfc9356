/*
 * The next page of a browse, as JSON, for the infinite scroll of /titles. Why an endpoint rather
 * than `goto('?cursor=…')`: appending keeps the address on the search itself (a reload or a
 * shared link starts at the top of the same results, and the history is not one entry per
 * page), and only the titles are read, not the page's genres. Without JavaScript the page's
 * "Next page" link (`/titles?…&cursor=`) does the same job with a full page.
 */
import { error, json } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import type { RequestHandler } from './$types';
import { parseCursor, parseFilters, searchQuery } from '../filters.ts';

export const GET: RequestHandler = async (event) => {
  const cursor = parseCursor(event.url.searchParams);
  if (!cursor) error(400, { message: 'A next page needs the `cursor` of the page before it.' });
  const page = await api(event).searchTitles(searchQuery(parseFilters(event.url.searchParams), cursor));
  return json(page, { headers: { 'cache-control': 'private, no-store' } });
};
