import { error, json } from '@sveltejs/kit';
import { claimsOf } from '$lib/server/session.ts';
import type { RequestHandler } from './$types';

/**
 * A short-lived token for the live socket's `auth` message: the current access token (at most 15
 * minutes, refreshed by hooks.server.ts when close to expiry), never the refresh token. Only
 * same-origin scripts can read it (no CORS headers, JSON only).
 */
export const GET: RequestHandler = ({ locals, setHeaders }) => {
  const token = locals.accessToken;
  const claims = token ? claimsOf(token) : null;
  if (!token || !claims) error(401, { message: 'Not signed in.' });
  setHeaders({ 'cache-control': 'no-store' });
  return json({ token, expiresAt: claims.exp * 1000 });
};
