import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import { log } from '$lib/server/log.ts';
import { clearTokens, refreshTokenOf } from '$lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

/** Signing out changes state, so it happens only on POST; a visit shows a button that posts. */
export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const refreshToken = refreshTokenOf(event.cookies);
    if (refreshToken) {
      try {
        await api(event).logout(refreshToken);
      } catch (cause) {
        // The cookies go anyway: the person asked to leave this browser, and an unrevoked token
        // expires on its own. The log says why it could not be revoked.
        log.warn({ err: cause, correlationId: event.locals.requestId }, 'logout: refresh token not revoked');
      }
    }
    clearTokens(event);
    redirect(303, '/');
  },
};
