import { error, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api.ts';
import type { RequestHandler } from './$types';

/** The headers of query-api's answer that a download keeps. */
const PASSED_ON = ['content-type', 'content-disposition', 'x-position'];

/**
 * `GET /settings/data/export?format=json|letterboxd`: the person's export from query-api, passed
 * on as it streams. The browser sends its session cookie like on any page; the access token
 * stays on this server.
 */
export const GET: RequestHandler = async (event) => {
  // Layout guards do not run for endpoints: this one checks for itself.
  if (!event.locals.user) redirect(303, `/signin?redirectTo=${encodeURIComponent('/settings/data')}`);
  let upstream: Response;
  try {
    upstream = await api(event).download('/me/export', { format: event.url.searchParams.get('format') ?? 'json' }, event.request.signal);
  } catch (cause) {
    if (!(cause instanceof ApiError)) throw cause;
    if (cause.status === 400) error(400, { message: 'Unknown export format: choose JSON or Letterboxd.' });
    if (cause.status === 401) redirect(303, `/signin?redirectTo=${encodeURIComponent('/settings/data')}`);
    error(503, { message: 'Your export cannot be made right now. Please try again in a moment.' });
  }
  const headers = new Headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  for (const name of PASSED_ON) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: 200, headers });
};
