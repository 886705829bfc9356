import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api.ts';
import { demoAccount } from '$lib/server/config.ts';
import { storeTokens } from '$lib/server/session.ts';
import { authFailure, text, type AuthFailure } from '../messages.ts';
import { safeRedirectTo } from '../redirect.ts';
import type { Actions, PageServerLoad } from './$types';

/** Notices other pages send people here with (`/signin?notice=…`). */
const NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  'signed-out-everywhere':
    'You are signed out on every browser and device. A page already open elsewhere can keep working for up to 15 minutes.',
};

export const load: PageServerLoad = ({ url }) => {
  const demo = demoAccount();
  return {
    demo,
    notice: NOTICES[url.searchParams.get('notice') ?? ''] ?? null,
  };
};

const WRONG_CREDENTIALS = { status: 401, message: 'That email and password do not match an account. Check them and try again.' };

export const actions: Actions = {
  login: async (event) => {
    const data = await event.request.formData();
    const email = text(data, 'email');
    const password = data.get('password');
    const values = { email };
    try {
      const pair = await api(event).login({ email, password: typeof password === 'string' ? password : '' });
      storeTokens(event, pair);
    } catch (cause) {
      return authFailure(cause, values, [WRONG_CREDENTIALS]);
    }
    redirect(303, safeRedirectTo(data.get('redirectTo')));
  },

  /** Signs in with the seeded demo account; its credentials stay on the server. */
  demo: async (event) => {
    const data = await event.request.formData();
    const demo = demoAccount();
    if (!demo)
      return fail(404, {
        message: 'This server offers no demo account.',
        errors: {},
        status: 404,
        values: { email: '' },
      } satisfies AuthFailure);
    try {
      storeTokens(event, await api(event).login(demo));
    } catch (cause) {
      return authFailure(cause, { email: '' }, [
        {
          status: 401,
          message: 'The demo account is not there yet: it is made when `npm start` seeds the demo. Create your own account instead.',
        },
      ]);
    }
    redirect(303, safeRedirectTo(data.get('redirectTo')));
  },
};
